/**
 * One material with its offline state: on the phone, partly fetched or
 * older than the published version, with Open, Share (or Save where the
 * phone cannot share files) and Download. Used by the workshop's materials
 * panel and by the material's own screen.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo, useState, type ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { Badge, SampleBadge } from '../../ui/screen';
import { getDb, readDeviceIdentity, type Stored } from '../../../device/db/database';
import type { MaterialPlan } from '../../../device/downloads/plan';
import type { ItemProgress } from '../../../device/downloads/manager';
import { formatBytes, formatLanguageName } from '../../i18n/format';
import { markMaterialSeen } from '../../content/seen-materials';
import { canShareFiles, fileNameFor, opensInBrowser, shareFile } from './files';
import { getDownloadManager, useMaterialDownload, useOpenableFile } from './use-downloads';

type MaterialRow = Stored<'materials'>;

/**
 * What to offer once a material went out through the phone's share sheet.
 * The app passes the follow-up log's "log this sharing" offer, so this
 * feature does not reach into another one.
 */
export type ShareOffer = ComponentType<{ workshopId: string; materialId: string; title: string; onDismiss(): void }>;

export function MaterialItem({
  material: m,
  plan,
  progress,
  updated,
  standalone = false,
  shareOffer: ShareOfferNotice,
}: {
  material: MaterialRow;
  plan: MaterialPlan | undefined;
  progress: ItemProgress | undefined;
  updated: boolean;
  /** On the material's own screen, whose heading already names it. */
  standalone?: boolean;
  shareOffer?: ShareOffer;
}) {
  const { t, i18n } = useTranslation(['materials', 'common']);
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
      {offerLog && ShareOfferNotice && (
        <ShareOfferNotice
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
