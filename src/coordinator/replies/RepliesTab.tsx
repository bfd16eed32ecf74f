/**
 * Who has answered a workshop's 6-month survey: submitted, started on a
 * phone, possibly answered on a phone that has not synced since the survey
 * opened, not answered, and not enrolled at all; the reply rate against the
 * roster by administration and sub-region; and reminders: the non-
 * respondents' addresses to copy, a ready e-mail, and the reminder the app
 * itself shows on their phones, which follows the survey's due date.
 */
import { useState } from 'react';
import { formatDateRange } from '../../client/i18n/format';
import { memberByCode } from '../../shared/domain/members';
import type { ParticipantReply, ReplyGroup } from '../../shared/domain/replies';
import { surveyWindow } from '../../shared/domain/survey-window';
import { useCoordinatorT } from '../core/i18n';
import type { RepliesView, WorkshopDetail } from '../core/types';
import { useApi } from '../core/use-api';
import { formatWhen } from '../ui/format-when';
import { ScrollTable } from '../ui/ScrollTable';
import { ViewState } from '../ui/ViewState';
import { Reminders } from './Reminders';
import { groupReplies, REPLY_BUCKETS, type ReplyBucket } from './reply-groups';

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
