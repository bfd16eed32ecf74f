/**
 * A workshop's materials with everything needed to have them offline: the
 * size of the pack before anything is downloaded, "Download all for
 * offline" (only what is missing or changed is fetched), per-file progress
 * that survives cuts, a plain reason when the link drops or the storage is
 * full, and for each file on the phone Open and Share. Materials whose
 * version changed since the participant last opened them are marked.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { Suspense, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { Badge, Loading, SampleBadge } from '../../ui/screen';
import { getDb } from '../../../device/db/database';
import type { MaterialPlan } from '../../../device/downloads/plan';
import type { ItemProgress } from '../../../device/downloads/manager';
import type { Stored } from '../../../device/db/database';
import { formatBytes, formatLanguageName } from '../../i18n/format';
import { baselineMaterials, isUpdatedSince, markMaterialSeen, readSeenMaterials } from '../agenda-changes/seen-store';
import { canShareFiles, fileNameFor, opensInBrowser, shareFile } from './files';
import { ShareLogOffer } from '../followup/ShareMaterials';
import { readDeviceIdentity } from '../../../device/db/database';
import {
  getDownloadManager,
  useDownloadManager,
  useMaterialDownload,
  useOpenableFile,
  usePackPlan,
} from './use-downloads';
import './materials.css';

type MaterialRow = Stored<'materials'>;

export function MaterialsPanel({
  fallback = null,
  ...props
}: {
  workshopId: string;
  materials: MaterialRow[] | undefined;
  /** Shown until this feature's strings have loaded (once per language). */
  fallback?: ReactNode;
}) {
  return (
    <Suspense fallback={fallback}>
      <Panel {...props} />
    </Suspense>
  );
}

function Panel({ workshopId, materials }: { workshopId: string; materials: MaterialRow[] | undefined }) {
  const { t, i18n } = useTranslation(['offline', 'common']);
  const lng = i18n.language;
  const plan = usePackPlan(materials);
  const snapshot = useDownloadManager();
  const seen = useLiveQuery(() => readSeenMaterials(getDb(), workshopId), [workshopId]);
  const manager = getDownloadManager();

  useEffect(() => {
    if (materials) void baselineMaterials(getDb(), workshopId).catch(() => undefined);
  }, [workshopId, materials]);

  // Search results link to #material-<id>; the list renders after the data loads.
  useEffect(() => {
    if (!materials) return;
    const hash = window.location.hash;
    if (hash.startsWith('#material-')) document.getElementById(hash.slice(1))?.scrollIntoView({ block: 'center' });
  }, [materials]);

  if (!materials || !plan) {
    return (
      <section aria-labelledby="materials-heading">
        <h2 id="materials-heading">{t('common:materials.title')}</h2>
        <Loading />
      </section>
    );
  }
  if (materials.length === 0) {
    return (
      <section aria-labelledby="materials-heading">
        <h2 id="materials-heading">{t('common:materials.title')}</h2>
        <p className="muted">{t('common:materials.empty')}</p>
      </section>
    );
  }

  const ids = new Set(materials.map((m) => m.id));
  const items = [...snapshot.items.values()].filter((i) => ids.has(i.materialId));
  const busy = snapshot.running && items.some((i) => i.status === 'downloading' || i.status === 'queued');
  const doneCount = items.filter((i) => i.status === 'done').length;
  const stoppedBy = items.length > 0 ? snapshot.stoppedBy : null;
  const storedBytes = [...plan.items.values()].reduce((sum, i) => sum + (i.state === 'current' ? i.byteSize : 0), 0);

  const downloadAll = () => {
    // Someone keeping a pack for offline use wants it kept: ask the browser
    // not to evict Vaka's storage (asked during the tap, as browsers require).
    void navigator.storage?.persist?.().catch(() => false);
    void manager.enqueue(plan.toFetch, plan.bytesToFetch);
  };

  return (
    <section aria-labelledby="materials-heading" className="pack">
      <h2 id="materials-heading">{t('common:materials.title')}</h2>
      <div className="pack-summary">
        <p>
          {plan.bytesToFetch === 0 && plan.toFetch.length === 0
            ? t('pack.allOffline', { count: materials.length, size: formatBytes(lng, plan.totalBytes) })
            : t('pack.toFetch', {
                count: plan.toFetch.length,
                size: formatBytes(lng, plan.bytesToFetch),
                total: formatBytes(lng, plan.totalBytes),
              })}
        </p>
        <div className="pack-actions">
          {plan.toFetch.length > 0 && !busy && (
            <button type="button" className="button" onClick={downloadAll}>
              {t('pack.downloadAll', { size: formatBytes(lng, plan.bytesToFetch) })}
            </button>
          )}
          {busy && (
            <button type="button" className="button button-secondary" onClick={() => manager.cancel()}>
              {t('pack.stop')}
            </button>
          )}
          {!busy && stoppedBy !== null && (
            <button type="button" className="button button-secondary" onClick={() => void manager.resume()}>
              {t('pack.retry')}
            </button>
          )}
        </div>
        {stoppedBy === 'offline' && !busy && <p className="notice notice-warn">{t('pack.pausedOffline')}</p>}
        {stoppedBy === 'quota' && (
          <p className="notice notice-warn" role="alert">
            {t('pack.quotaFull')} <Link href="/storage">{t('pack.storageLink')}</Link>
          </p>
        )}
        <p className="visually-hidden" role="status" aria-live="polite">
          {busy
            ? t('pack.progress', { done: doneCount, count: items.length })
            : items.length > 0 && plan.toFetch.length === 0
              ? t('pack.allDone')
              : ''}
        </p>
      </div>
      <ul className="material-list">
        {materials.map((m) => (
          <MaterialItem
            key={m.id}
            material={m}
            plan={plan.items.get(m.id)}
            progress={snapshot.items.get(m.id)}
            updated={isUpdatedSince(seen?.get(m.id), m)}
          />
        ))}
      </ul>
      {storedBytes > 0 && (
        <p className="muted">
          {t('pack.used', { size: formatBytes(lng, storedBytes) })} <Link href="/storage">{t('pack.storageLink')}</Link>
        </p>
      )}
    </section>
  );
}

export function MaterialItem({
  material: m,
  plan,
  progress,
  updated,
  standalone = false,
}: {
  material: MaterialRow;
  plan: MaterialPlan | undefined;
  progress: ItemProgress | undefined;
  updated: boolean;
  /** On the material's own screen, whose heading already names it. */
  standalone?: boolean;
}) {
  const { t, i18n } = useTranslation(['offline', 'common']);
  const lng = i18n.language;
  const download = useMaterialDownload(m.id);
  const openable = useOpenableFile(download?.sha256);
  const manager = getDownloadManager();
  const [shareNote, setShareNote] = useState<string | null>(null);
  const [offerLog, setOfferLog] = useState(false);
  // Only a participant of this workshop has a follow-up log to add the share to.
  const attended = useLiveQuery(
    async () => (await readDeviceIdentity(getDb()))?.workshopIds.includes(m.workshopId) ?? false,
    [m.workshopId],
  );

  const active = progress && (progress.status === 'downloading' || progress.status === 'queued') && !progress.error;
  const received = active ? progress.receivedBytes : (plan?.receivedBytes ?? 0);
  const error = progress?.error ?? plan?.error ?? null;
  const state = plan?.state ?? 'none';
  const file = useMemo(
    () => (openable ? new File([openable.blob], fileNameFor(m.title, m.mediaType), { type: m.mediaType }) : null),
    [openable, m.title, m.mediaType],
  );

  const seen = () => void markMaterialSeen(getDb(), m).catch(() => undefined);
  const share = async () => {
    if (!file) return;
    seen();
    const result = await shareFile(file, m.title);
    setShareNote(result === 'failed' ? t('material.shareFailed') : result === 'shared' ? t('material.shared') : null);
    setOfferLog(result === 'shared' && attended === true);
  };

  return (
    <li className="material" id={`material-${m.id}`}>
      <p className="material-title" dir="auto">
        {!standalone && <Link href={`/materials/${m.id}`}>{m.title}</Link>}
        {m.sample && <SampleBadge />}
        {m.audience === 'participants' && <Badge>{t('common:materials.participantsOnly')}</Badge>}
        {updated && (
          <Badge tone="warn">
            {t('material.updated')}
            <span className="visually-hidden"> ({t('material.updatedExplain')})</span>
          </Badge>
        )}
      </p>
      <p className="muted">
        {t('common:materials.meta', {
          size: formatBytes(lng, m.byteSize),
          language: formatLanguageName(lng, m.language),
          type: typeLabel(m.mediaType),
        })}
      </p>
      {active ? (
        <p className="material-progress">
          <progress max={m.byteSize} value={received} aria-label={t('material.progressLabel', { title: m.title })} />
          <span>
            {t('material.partial', { received: formatBytes(lng, received), size: formatBytes(lng, m.byteSize) })}
          </span>
        </p>
      ) : (
        <p className={state === 'current' ? 'material-state material-state-ok' : 'material-state'}>
          {state === 'current'
            ? t('material.onPhone')
            : state === 'outdated'
              ? t('material.older', { size: formatBytes(lng, m.byteSize - received) })
              : received > 0
                ? t('material.partial', { received: formatBytes(lng, received), size: formatBytes(lng, m.byteSize) })
                : t('material.notOnPhone')}
        </p>
      )}
      {error && !active && <p className="field-error">{t(`material.error.${error}`)}</p>}
      <p className="material-actions">
        {openable && (
          <a
            className="button button-secondary"
            href={openable.url}
            target="_blank"
            rel="noopener"
            onClick={seen}
            {...(opensInBrowser(m.mediaType) ? {} : { download: file?.name })}
          >
            {t('material.open')}
            <span className="visually-hidden"> {m.title}</span>
          </a>
        )}
        {file &&
          (canShareFiles(file) ? (
            <button type="button" className="button button-secondary" onClick={() => void share()}>
              {t('material.share')}
              <span className="visually-hidden"> {m.title}</span>
            </button>
          ) : (
            <a className="button button-secondary" href={openable?.url} download={file.name} onClick={seen}>
              {t('material.save')}
              <span className="visually-hidden"> {m.title}</span>
            </a>
          ))}
        {state !== 'current' && !active && (
          <button type="button" className="button" onClick={() => void manager.enqueue([m], m.byteSize - received)}>
            {state === 'outdated' ? t('material.update') : error ? t('material.retry') : t('material.download')}
            <span className="visually-hidden"> {m.title}</span>
          </button>
        )}
      </p>
      {shareNote && <p role="status">{shareNote}</p>}
      {offerLog && (
        <ShareLogOffer
          workshopId={m.workshopId}
          materialId={m.id}
          title={m.title}
          onDismiss={() => setOfferLog(false)}
        />
      )}
    </li>
  );
}

/** "PDF", "PPTX"…: what a participant recognises, not a MIME type. */
export function typeLabel(mediaType: string): string {
  const name = fileNameFor('x', mediaType).split('.').pop() ?? mediaType;
  return name.toUpperCase();
}
