/**
 * The follow-up log of one workshop: every action the participant took since
 * (shared materials, reports, recommendations, in-house workshops, manuals,
 * other), newest first, each with its receipt, and a way to share a
 * training material that then offers to log the sharing. All of it works
 * offline; the 6-month survey is prefilled from this log.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearch } from 'wouter';
import { Loading, Screen } from '../../ui/screen';
import { getDb } from '../../../device/db/database';
import { formatBytes, isolate } from '../../i18n/format';
import { readWifiOnly, writeWifiOnly } from '../../../device/sync/uploads';
import { getWorkshop, localizedWorkshop } from '../../content/workshops';
import { MergeNotice } from '../../ui/MergeNotice';
import { formatIsoDate } from '../../i18n/dates';
import { deleteActionWithEvidence } from './evidence';
import { ReceiptLine } from '../../ui/form';
import { NotAParticipant } from '../../ui/NotAParticipant';
import type { Receipt } from '../../content/receipts';
import { attended, listActions, receiptsOf, type ActionRow } from '../../content/records';
import { uploadBacklog } from './queries';
import { ShareMaterials } from './ShareMaterials';
import './followup.css';

export default function ActionLogScreen({ workshopId }: { workshopId: string }) {
  const { t, i18n } = useTranslation(['followup', 'form']);
  const db = getDb();
  const workshop = useLiveQuery(() => getWorkshop(workshopId), [workshopId]);
  const isParticipant = useLiveQuery(() => attended(db, workshopId), [workshopId]);
  const actions = useLiveQuery(() => listActions(db, workshopId), [workshopId]);
  const search = useSearch();
  const savedId = new URLSearchParams(search).get('saved');

  if (workshop === undefined || isParticipant === undefined) {
    return (
      <Screen title={t('log.title')}>
        <Loading />
      </Screen>
    );
  }
  const named = workshop ? localizedWorkshop(workshop, i18n.language) : null;
  const title = named?.title ?? '';
  const back = (
    <p className="back-link">
      <Link href={`/workshops/${workshopId}`}>
        {/* An English title in a right-to-left interface keeps its own direction beside the arrow. */}
        {named ? <bdi lang={named.titleLang}>{title}</bdi> : t('common.backToWorkshop')}
      </Link>
    </p>
  );
  if (!isParticipant) {
    return (
      <Screen title={t('log.title')} back={back}>
        <NotAParticipant />
      </Screen>
    );
  }
  return (
    <Screen
      title={t('log.title')}
      back={back}
      lead={<p className="lead">{t('log.lead', { workshop: isolate(title) })}</p>}
    >
      <SavedNotice show={savedId !== null} />
      <p>
        <Link href={`/workshops/${workshopId}/follow-up/new`} className="button">
          {t('log.add')}
        </Link>
      </p>
      <section aria-labelledby="actions-heading">
        <h2 id="actions-heading">{t('log.listTitle')}</h2>
        {actions === undefined ? (
          <Loading />
        ) : actions.length === 0 ? (
          <p className="empty">{t('log.empty')}</p>
        ) : (
          <ActionList actions={actions} />
        )}
      </section>
      {workshop && <ShareMaterials workshopId={workshopId} />}
      <UploadSettings />
      <p>
        <Link href={`/workshops/${workshopId}/survey`}>{t('log.toSurvey')}</Link>
      </p>
    </Screen>
  );
}

/**
 * "Saved on this phone" after the form closed. Filled in just after the
 * screen mounts: a live region that already holds its text when it appears
 * is not read out by most screen readers.
 */
function SavedNotice({ show }: { show: boolean }) {
  const { t } = useTranslation(['followup', 'form']);
  const [visible, setVisible] = useState(false);
  useEffect(() => {
    if (!show) return;
    const timer = setTimeout(() => setVisible(true), 100);
    return () => clearTimeout(timer);
  }, [show]);
  return <div role="status">{visible && <p className="notice notice-ok">{t('log.savedNotice')}</p>}</div>;
}

function ActionList({ actions }: { actions: ActionRow[] }) {
  const ids = actions.map((a) => a.id);
  const key = ids.join(',');
  const receipts = useLiveQuery(() => receiptsOf(getDb(), ids), [key]);
  return (
    <ul className="card-list action-list">
      {actions.map((a) => (
        <ActionCard key={a.id} action={a} receipt={receipts?.get(a.id)} />
      ))}
    </ul>
  );
}

function ActionCard({ action: a, receipt }: { action: ActionRow; receipt: Receipt | undefined }) {
  const { t, i18n } = useTranslation(['followup', 'form']);
  const lng = i18n.language;
  const [confirming, setConfirming] = useState(false);
  const [failed, setFailed] = useState(false);
  const confirmButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
  }, [confirming]);
  const headingId = `action-${a.id}`;
  const details: string[] = [];
  // Isolated: an English unit name inside a Persian sentence keeps the sentence's order.
  if (a.audience) details.push(t('log.audience', { audience: isolate(a.audience) }));
  if (a.channel) details.push(t('log.channel', { channel: t(`channels.${a.channel}`) }));
  if (a.attendees !== null) details.push(t('log.attendees', { count: a.attendees }));

  async function remove() {
    try {
      await deleteActionWithEvidence(getDb(), a.id);
    } catch {
      setFailed(true);
    }
  }

  return (
    <li className="card action-card" aria-labelledby={headingId}>
      <h3 className="card-title" id={headingId}>
        {t(`kinds.${a.kind}`)}
      </h3>
      <p className="card-meta">
        <time dateTime={a.date}>{formatIsoDate(lng, a.date)}</time>
      </p>
      <p dir="auto" className="action-description">
        {a.description}
      </p>
      {details.length > 0 && (
        <p className="muted" dir="auto">
          {details.join(t('common:common.separator'))}
        </p>
      )}
      {a.evidence.length > 0 && (
        <p className="muted">
          {t('log.evidence', { count: a.evidence.length, names: a.evidence.map((e) => e.name).join(', ') })}
        </p>
      )}
      <MergeNotice recordIds={[a.id]} />
      <ReceiptLine receipt={receipt} />
      <div className="card-actions">
        <Link href={`/workshops/${a.workshopId}/follow-up/${a.id}`} className="button button-secondary">
          {t('log.edit')}
          <span className="visually-hidden">: {t(`kinds.${a.kind}`)}</span>
        </Link>
        {!confirming ? (
          <button type="button" className="button button-secondary" onClick={() => setConfirming(true)}>
            {t('log.delete')}
            <span className="visually-hidden">: {t(`kinds.${a.kind}`)}</span>
          </button>
        ) : (
          <div className="confirm" role="group" aria-label={t('log.deleteConfirm')}>
            <p>{t('log.deleteConfirm')}</p>
            <button type="button" className="button button-danger" ref={confirmButton} onClick={() => void remove()}>
              {t('log.deleteYes')}
            </button>
            <button type="button" className="button button-secondary" onClick={() => setConfirming(false)}>
              {t('log.deleteNo')}
            </button>
          </div>
        )}
      </div>
      {failed && (
        <p className="field-error" role="alert">
          {t('log.deleteFailed')}
        </p>
      )}
    </li>
  );
}

/** "Send files on Wi-Fi only", with what is waiting. */
function UploadSettings() {
  const { t, i18n } = useTranslation(['followup', 'form']);
  const db = getDb();
  const wifiOnly = useLiveQuery(() => readWifiOnly(db), []);
  const backlog = useLiveQuery(() => uploadBacklog(db), []);
  return (
    <section aria-labelledby="files-heading">
      <h2 id="files-heading">{t('files.title')}</h2>
      <p>
        {backlog && backlog.files > 0
          ? t('files.waiting', { count: backlog.files, size: formatBytes(i18n.language, backlog.bytes) })
          : t('files.noneWaiting')}
      </p>
      <label className="choice">
        <input
          type="checkbox"
          checked={wifiOnly ?? false}
          disabled={wifiOnly === undefined}
          onChange={(event) => void writeWifiOnly(db, event.target.checked)}
          aria-describedby="wifi-hint"
        />
        <span>{t('files.wifiOnly')}</span>
      </label>
      <p className="field-hint" id="wifi-hint">
        {t('files.wifiHint')}
      </p>
    </section>
  );
}
