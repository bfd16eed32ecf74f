/**
 * A workshop's materials with everything needed to have them offline: the
 * size of the pack before anything is downloaded, "Download all for
 * offline" (only what is missing or changed is fetched), per-file progress
 * that survives cuts, a plain reason when the link drops or the storage is
 * full, and for each file on the phone Open and Share (MaterialItem.tsx).
 * Materials whose version changed since the participant last opened them
 * are marked.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { Suspense, useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { Loading } from '../../ui/screen';
import { getDb } from '../../../device/db/database';
import type { Stored } from '../../../device/db/database';
import { formatBytes } from '../../i18n/format';
import { baselineMaterials, isUpdatedSince, readSeenMaterials } from '../../content/seen-materials';
import { MaterialItem, type ShareOffer } from './MaterialItem';
import { getDownloadManager, useDownloadManager, usePackPlan } from './use-downloads';
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
  shareOffer?: ShareOffer;
}) {
  return (
    <Suspense fallback={fallback}>
      <Panel {...props} />
    </Suspense>
  );
}

function Panel({
  workshopId,
  materials,
  shareOffer,
}: {
  workshopId: string;
  materials: MaterialRow[] | undefined;
  shareOffer?: ShareOffer;
}) {
  const { t, i18n } = useTranslation(['materials', 'common']);
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
            shareOffer={shareOffer}
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
