/**
 * Storage on this phone, in one place: whether the browser protects Vaka's
 * data from eviction (and a button to ask), how much space Vaka and its
 * downloaded materials use, per workshop with a way to free it, and the
 * records still waiting to be sent with a warning when they have waited
 * long and a one-tap export of them to a file. Storage eviction and records
 * stuck on a phone are how comparable tools lose data; here both are shown.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { Loading, Screen } from '../../ui/screen';
import { getDb } from '../../../device/db/database';
import { pruneDownloads, removeDownloads } from '../../../device/downloads/store';
import { formatBytes, formatMoment, isolate } from '../../i18n/format';
import { requestSync } from '../../sync/scheduler';
import { useSyncStatus } from '../../sync/use-sync-status';
import { localizedWorkshop } from '../../content/workshops';
import { buildUnsyncedExport, exportFileName, waitedLong } from './export';
import './storage.css';

interface Estimate {
  persisted: boolean | null;
  usage: number | null;
  quota: number | null;
}

async function readEstimate(): Promise<Estimate> {
  const storage = navigator.storage as StorageManager | undefined;
  const [persisted, estimate] = await Promise.all([
    storage?.persisted ? storage.persisted().catch(() => null) : Promise.resolve(null),
    storage?.estimate ? storage.estimate().catch(() => null) : Promise.resolve(null),
  ]);
  return { persisted, usage: estimate?.usage ?? null, quota: estimate?.quota ?? null };
}

export default function StorageScreen() {
  const { t } = useTranslation('storage');
  const [estimate, setEstimate] = useState<Estimate | null>(null);
  const refresh = useCallback(() => {
    void readEstimate().then(setEstimate);
  }, []);
  useEffect(refresh, [refresh]);

  return (
    <Screen
      title={t('storage.title')}
      back={
        <p className="back-link">
          <Link href="/settings">{t('storage.backToSettings')}</Link>
        </p>
      }
    >
      <PendingSection />
      {estimate === null ? (
        <Loading />
      ) : (
        <>
          <ProtectionSection estimate={estimate} onChange={refresh} />
          <SpaceSection estimate={estimate} onChange={refresh} />
        </>
      )}
    </Screen>
  );
}

function PendingSection() {
  const { t, i18n } = useTranslation('storage');
  const status = useSyncStatus();
  const [saved, setSaved] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const lng = i18n.language;
  const long = status.pending > 0 && waitedLong(status.oldestPendingAt);

  const exportRecords = async () => {
    try {
      const data = await buildUnsyncedExport(getDb());
      const name = exportFileName();
      const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = name;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setSaved(name);
      setFailed(false);
    } catch {
      setFailed(true);
    }
  };

  return (
    <section aria-labelledby="pending-heading">
      <h2 id="pending-heading">{t('storage.pendingHeading')}</h2>
      {!status.loaded ? (
        <Loading />
      ) : status.pending === 0 ? (
        <p className="notice notice-ok">{t('storage.pendingNone')}</p>
      ) : (
        <>
          <p>
            {t('storage.pending', {
              count: status.pending,
              time: status.oldestPendingAt ? formatMoment(lng, status.oldestPendingAt) : '',
            })}
          </p>
          {long && (
            <p className="notice notice-warn" role="alert">
              {t('storage.waitingLong')}
            </p>
          )}
          <p className="storage-actions">
            <button
              type="button"
              className="button button-secondary"
              disabled={status.syncing}
              onClick={() => void requestSync().catch(() => undefined)}
            >
              {status.syncing ? t('storage.sending') : t('storage.sendNow')}
            </button>
          </p>
        </>
      )}
      <p className="storage-actions">
        <button type="button" className="button" onClick={() => void exportRecords()}>
          {t('storage.export')}
        </button>
      </p>
      <p className="field-hint">{t('storage.exportHint')}</p>
      <p role="status" aria-live="polite">
        {saved ? t('storage.exported', { file: isolate(saved) }) : failed ? t('storage.exportFailed') : ''}
      </p>
    </section>
  );
}

function ProtectionSection({ estimate, onChange }: { estimate: Estimate; onChange: () => void }) {
  const { t } = useTranslation('storage');
  const [denied, setDenied] = useState(false);
  const protect = async () => {
    const granted = await navigator.storage.persist().catch(() => false);
    setDenied(!granted);
    onChange();
  };
  return (
    <section aria-labelledby="protection-heading">
      <h2 id="protection-heading">{t('storage.protectionHeading')}</h2>
      <p className={estimate.persisted ? 'notice notice-ok' : 'notice notice-warn'}>
        {estimate.persisted === null
          ? t('storage.persistUnknown')
          : estimate.persisted
            ? t('storage.persisted')
            : t('storage.notPersisted')}
      </p>
      {estimate.persisted === false && (
        <p>
          <button type="button" className="button" onClick={() => void protect()}>
            {t('storage.persistButton')}
          </button>
        </p>
      )}
      <p role="status">{denied ? t('storage.persistDenied') : ''}</p>
    </section>
  );
}

interface WorkshopDownloads {
  workshopId: string;
  title: string;
  titleLang: string | undefined;
  bytes: number;
  files: number;
  materialIds: string[];
}

async function readDownloads(language: string): Promise<WorkshopDownloads[]> {
  const db = getDb();
  const [downloads, files, workshops] = await Promise.all([
    db.downloads.toArray(),
    db.files.toArray(),
    db.workshops.toArray(),
  ]);
  const sizes = new Map(files.map((f) => [f.sha256, f.receivedBytes]));
  const titles = new Map(workshops.map((w) => [w.id, localizedWorkshop(w, language)]));
  const groups = new Map<string, WorkshopDownloads>();
  const counted = new Set<string>();
  for (const d of downloads) {
    const group = groups.get(d.workshopId) ?? {
      workshopId: d.workshopId,
      title: titles.get(d.workshopId)?.title ?? '',
      titleLang: titles.get(d.workshopId)?.titleLang,
      bytes: 0,
      files: 0,
      materialIds: [],
    };
    group.materialIds.push(d.materialId);
    for (const sha of [d.sha256, d.pendingSha256]) {
      if (!sha || counted.has(sha)) continue;
      counted.add(sha);
      const size = sizes.get(sha) ?? 0;
      if (size > 0) {
        group.bytes += size;
        group.files += 1;
      }
    }
    groups.set(d.workshopId, group);
  }
  return [...groups.values()].filter((g) => g.bytes > 0).sort((a, b) => b.bytes - a.bytes);
}

function SpaceSection({ estimate, onChange }: { estimate: Estimate; onChange: () => void }) {
  const { t, i18n } = useTranslation('storage');
  const lng = i18n.language;
  const groups = useLiveQuery(() => readDownloads(lng), [lng]);
  const [freed, setFreed] = useState<number | null>(null);
  const total = (groups ?? []).reduce((sum, g) => sum + g.bytes, 0);
  const count = (groups ?? []).reduce((sum, g) => sum + g.files, 0);

  const remove = async (materialIds: string[]) => {
    const db = getDb();
    const bytes = (await removeDownloads(db, materialIds)) + (await pruneDownloads(db));
    setFreed(bytes);
    onChange();
  };

  return (
    <section aria-labelledby="space-heading">
      <h2 id="space-heading">{t('storage.spaceHeading')}</h2>
      {estimate.usage !== null && estimate.quota !== null ? (
        <>
          <p>
            {t('storage.usage', { used: formatBytes(lng, estimate.usage), quota: formatBytes(lng, estimate.quota) })}
          </p>
          <meter
            className="storage-meter"
            min={0}
            max={estimate.quota}
            value={estimate.usage}
            high={estimate.quota * 0.8}
            aria-label={t('storage.meterLabel')}
          />
        </>
      ) : (
        <p>{t('storage.usageUnknown')}</p>
      )}
      <h3>{t('storage.downloadsHeading')}</h3>
      {groups === undefined ? (
        <Loading />
      ) : groups.length === 0 ? (
        <p className="muted">{t('storage.noDownloads')}</p>
      ) : (
        <>
          <p>{t('storage.downloads', { count, size: formatBytes(lng, total) })}</p>
          <ul className="storage-list">
            {groups.map((g) => (
              <li key={g.workshopId}>
                <span className="storage-item" dir="auto">
                  {g.title ? (
                    <Link href={`/workshops/${g.workshopId}`} lang={g.titleLang}>
                      {g.title}
                    </Link>
                  ) : (
                    t('storage.unknownWorkshop')
                  )}
                  <span className="muted">
                    {t('common:common.separator')}
                    {formatBytes(lng, g.bytes)}
                  </span>
                </span>
                <button type="button" className="button button-secondary" onClick={() => void remove(g.materialIds)}>
                  {t('storage.remove')}
                  <span className="visually-hidden"> {g.title}</span>
                </button>
              </li>
            ))}
          </ul>
          <p>
            <button
              type="button"
              className="button button-secondary"
              onClick={() => void remove(groups.flatMap((g) => g.materialIds))}
            >
              {t('storage.removeAll')}
            </button>
          </p>
        </>
      )}
      <p role="status" aria-live="polite">
        {freed !== null ? t('storage.freed', { size: formatBytes(lng, freed) }) : ''}
      </p>
    </section>
  );
}
