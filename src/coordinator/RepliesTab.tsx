/**
 * Who has answered a workshop's 6-month survey: submitted, started on a
 * phone, possibly answered on a phone that has not synced since the survey
 * opened, not answered, and not enrolled at all; the reply rate against the
 * roster by administration and sub-region; and reminders: the non-
 * respondents' addresses to copy, a ready e-mail, and the reminder the app
 * itself shows on their phones, which follows the survey's due date.
 */
import { useState } from 'react';
import { formatDateRange } from '../client/i18n/format';
import { memberByCode } from '../shared/domain/members';
import type { ParticipantReply, ReplyGroup } from '../shared/domain/replies';
import { surveyWindow } from '../shared/domain/survey-window';
import { apiRequest, asProblem } from './api';
import { groupReplies, REPLY_BUCKETS, reminderList, reminderMailto, type ReplyBucket } from './reply-groups';
import { formatWhen, problemText, ScrollTable, StatusLine, useCoordinatorT, ViewState, type Status } from './parts';
import { invalidateViews, useApi } from './use-api';
import type { RepliesView, WorkshopDetail } from './types';

/** How far the in-app reminder's due date moves per press: one more week, as the office's reminders do. */
const EXTEND_DAYS = 7;

export default function RepliesTab({ detail }: { detail: WorkshopDetail }) {
  const { t } = useCoordinatorT();
  const view = useApi<RepliesView>(`/workshops/${detail.workshop.id}/replies`);
  const [now] = useState(() => new Date());
  return (
    <section aria-labelledby="c-replies-heading">
      <h2 id="c-replies-heading">{t('workshop.tab.replies')}</h2>
      <ViewState view={view}>{(data) => <Replies data={data} detail={detail} now={now} />}</ViewState>
    </section>
  );
}

function Replies({ data, detail, now }: { data: RepliesView; detail: WorkshopDetail; now: Date }) {
  const { t, i18n } = useCoordinatorT();
  const w = detail.workshop;
  const survey = surveyWindow(w, now);
  const groups = groupReplies(data, survey.opensAt, now);
  const rate = data.totals.rate.percent;
  return (
    <>
      <dl className="facts c-facts">
        <div>
          <dt>{t('replies.window')}</dt>
          <dd>
            {formatDateRange(i18n.language, survey.opensOn, survey.dueOn, w.timeZone)} —{' '}
            {t(`replies.phase.${survey.phase}`)}
          </dd>
        </div>
        <div>
          <dt>{t('replies.rate')}</dt>
          <dd>
            {t('replies.rateValue', {
              submitted: data.totals.submitted,
              roster: data.totals.roster,
              percent: rate === null ? '—' : rate,
            })}
          </dd>
        </div>
      </dl>

      {REPLY_BUCKETS.map((bucket) => (
        <BucketSection key={bucket} bucket={bucket} people={groups[bucket]} />
      ))}

      <RateTable
        id="c-rate-admin"
        caption={t('replies.byAdministration')}
        keyLabel={t('replies.col.administration')}
        rows={data.byAdministration}
        name={(key) => memberByCode(key)?.name ?? key}
      />
      <RateTable
        id="c-rate-region"
        caption={t('replies.bySubRegion')}
        keyLabel={t('replies.col.subRegion')}
        rows={data.bySubRegion}
        name={(key) => t(`subRegion.${key}`)}
      />

      <Reminders
        data={data}
        detail={detail}
        due={formatDateRange(i18n.language, survey.dueOn, survey.dueOn, w.timeZone)}
      />
    </>
  );
}

function BucketSection({ bucket, people }: { bucket: ReplyBucket; people: ParticipantReply[] }) {
  const { t, i18n } = useCoordinatorT();
  const id = `c-bucket-${bucket}`;
  return (
    <section aria-labelledby={id} className="c-bucket">
      <h3 id={id}>
        {t(`replies.bucket.${bucket}.title`)} <span className="c-count">{people.length}</span>
      </h3>
      <p className="field-hint">{t(`replies.bucket.${bucket}.hint`)}</p>
      {people.length > 0 && (
        <ul className="c-people">
          {people.map((p) => (
            <li key={p.participantId}>
              <span dir="auto">{p.fullName}</span> <span className="muted">({p.memberCode})</span>
              {p.email && (
                <span className="c-sub" dir="ltr">
                  {p.email}
                </span>
              )}
              <span className="c-sub muted">
                {p.submittedAt
                  ? t('replies.submittedAt', { time: formatWhen(i18n.language, p.submittedAt) })
                  : p.lastContact
                    ? t('replies.lastContact', { time: formatWhen(i18n.language, p.lastContact) })
                    : t('replies.neverContacted')}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function RateTable({
  id,
  caption,
  keyLabel,
  rows,
  name,
}: {
  id: string;
  caption: string;
  keyLabel: string;
  rows: ReplyGroup[];
  name: (key: string) => string;
}) {
  const { t } = useCoordinatorT();
  return (
    <ScrollTable labelledBy={`${id}-caption`}>
      <table className="c-table" id={id}>
        <caption id={`${id}-caption`}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{keyLabel}</th>
            <th scope="col">{t('replies.col.roster')}</th>
            <th scope="col">{t('replies.col.submitted')}</th>
            <th scope="col">{t('replies.col.started')}</th>
            <th scope="col">{t('replies.col.rate')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{name(r.key)}</th>
              <td className="c-num">{r.roster}</td>
              <td className="c-num">{r.submitted}</td>
              <td className="c-num">{r.draft}</td>
              <td className="c-num">{r.rate.percent ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollTable>
  );
}

/** `due`: the due date already written the reader's way. */
function Reminders({ data, detail, due }: { data: RepliesView; detail: WorkshopDetail; due: string }) {
  const { t } = useCoordinatorT();
  const [status, setStatus] = useState<Status>(null);
  const [busy, setBusy] = useState(false);
  const w = detail.workshop;
  const recipients = reminderList(data);
  const withoutEmail = data.participants.filter((p) => p.state !== 'submitted' && !p.email).length;
  const mail = reminderMailto(
    recipients,
    t('reminder.subject', { title: w.title }),
    t('reminder.body', { title: w.title, due, address: `${window.location.origin}/` }),
  );

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(recipients.join(', '));
      setStatus({ tone: 'ok', text: t('reminder.copied', { count: recipients.length }) });
    } catch {
      // Clipboard access can be refused (no permission, plain http): leave the text selected to copy by hand.
      const area = document.getElementById('c-reminder-list') as HTMLTextAreaElement | null;
      area?.focus();
      area?.select();
      setStatus({ tone: 'info', text: t('reminder.copyByHand') });
    }
  };

  const extend = async () => {
    setBusy(true);
    try {
      await apiRequest('PUT', `/workshops/${w.id}`, { ...w, surveyDueAfterDays: w.surveyDueAfterDays + EXTEND_DAYS });
      invalidateViews();
      setStatus({ tone: 'ok', text: t('reminder.extended', { days: EXTEND_DAYS }) });
    } catch (err) {
      setStatus({ tone: 'error', text: problemText(t, asProblem(err)) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="c-reminders-heading" className="c-reminders">
      <h3 id="c-reminders-heading">{t('reminder.title')}</h3>
      {recipients.length === 0 ? (
        <p>{t('reminder.nobody')}</p>
      ) : (
        <>
          <div className="field">
            <label htmlFor="c-reminder-list">{t('reminder.listLabel', { count: recipients.length })}</label>
            <textarea
              id="c-reminder-list"
              className="input"
              readOnly
              rows={Math.min(6, Math.max(2, Math.ceil(recipients.length / 2)))}
              dir="ltr"
              value={recipients.join(', ')}
            />
          </div>
          <p className="c-inline-actions">
            <button type="button" className="button" onClick={() => void copy()}>
              {t('reminder.copy')}
            </button>
            <a className="button button-secondary" href={mail.href}>
              {t('reminder.mailto')}
            </a>
          </p>
          {mail.tooLong && <p className="notice notice-warn">{t('reminder.tooLong')}</p>}
        </>
      )}
      {withoutEmail > 0 && <p className="muted">{t('reminder.withoutEmail', { count: withoutEmail })}</p>}
      <h4>{t('reminder.inAppTitle')}</h4>
      <p>{t('reminder.inApp', { due })}</p>
      <p>
        <button type="button" className="button button-secondary" disabled={busy} onClick={() => void extend()}>
          {t('reminder.extend', { days: EXTEND_DAYS })}
        </button>
      </p>
      <StatusLine status={status} />
    </section>
  );
}
