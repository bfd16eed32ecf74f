/**
 * A workshop's follow-up messages (the "Messages" tab): the round's
 * timeline, pause and resume, the reminder days, publishing the results
 * (feedback falls due), and per participant and channel the state of their
 * latest message with the reason when it failed or was not sent, a "remind
 * now" (at most once a day), and a preview of each message in each language.
 */
import { useId, useState } from 'react';
import type { MessageLanguage, MessageState, WorkshopMessageSettings } from '../../shared/schemas/messages';
import { formatIsoDate } from '../../client/i18n/dates';
import { apiRequest, asProblem } from '../core/api';
import { useCoordinatorT } from '../core/i18n';
import type { WorkshopDetail } from '../core/types';
import { invalidateViews, useApi } from '../core/use-api';
import { problemText } from '../ui/problem-text';
import { ScrollTable } from '../ui/ScrollTable';
import { StatusLine, type Status } from '../ui/StatusLine';
import { ViewState } from '../ui/ViewState';
import { formatWhen } from '../ui/format-when';
import { cellsByParticipant, roundTimeline, type ChannelCell } from './message-view';

interface MessageList {
  messages: MessageState[];
  settings: WorkshopMessageSettings | null;
}

interface Preview {
  subject: string;
  text: string;
  dir: 'ltr' | 'rtl';
}

const KINDS = ['invitation', 'reminder', 'last-call', 'feedback', 'remind-now'] as const;
const LANGS: MessageLanguage[] = ['en', 'fr', 'pt', 'fa'];

export default function MessagesTab({ detail }: { detail: WorkshopDetail }) {
  const view = useApi<MessageList>(`/messages?workshopId=${detail.workshop.id}`);
  return <ViewState view={view}>{(data) => <Messages detail={detail} data={data} />}</ViewState>;
}

function Messages({ detail, data }: { detail: WorkshopDetail; data: MessageList }) {
  const { t, i18n } = useCoordinatorT();
  const [status, setStatus] = useState<Status>(null);
  const [busy, setBusy] = useState(false);
  const w = detail.workshop;
  const settings = data.settings ?? { workshopId: w.id, reminderDays: [7, 2], paused: false, resultsPublishedAt: null };
  const [days, setDays] = useState(settings.reminderDays.join(', '));
  const cells = cellsByParticipant(data.messages);
  const lng = i18n.language;
  const day = (iso: string) => formatIsoDate(lng, iso, w.timeZone);

  const act = async (run: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await run();
      invalidateViews();
      setStatus({ tone: 'ok', text: done });
    } catch (err) {
      setStatus({ tone: 'error', text: problemText(t, asProblem(err)) });
    } finally {
      setBusy(false);
    }
  };

  const remindNow = async (participantId: string, name: string) => {
    setBusy(true);
    try {
      await apiRequest('POST', '/messages/remind-now', { participantId, workshopId: w.id });
      invalidateViews();
      setStatus({ tone: 'ok', text: t('messages.remindQueued', { name }) });
    } catch (err) {
      const problem = asProblem(err);
      const key =
        problem.status === 429 ? 'messages.remindedToday' : problem.status === 409 ? 'messages.noChannel' : null;
      setStatus({ tone: 'error', text: key ? t(key, { name }) : problemText(t, problem) });
    } finally {
      setBusy(false);
    }
  };

  const cell = (c: ChannelCell) => (
    <td>
      <span className={`c-msg-state c-msg-${c.state}`}>{t(`messages.state.${c.state}`)}</span>
      {c.latest ? (
        <span className="muted">
          {' '}
          {t(`messages.kind.${c.latest.kind}`)} · {formatWhen(lng, c.latest.sentAt ?? c.latest.sendAt)}
        </span>
      ) : null}
      {c.reason && c.state !== 'sent' ? <span className="field-hint">{c.reason}</span> : null}
    </td>
  );

  return (
    <>
      <section aria-labelledby="c-messages-timeline">
        <h3 id="c-messages-timeline">{t('messages.timeline')}</h3>
        <ol>
          {roundTimeline(w, settings.reminderDays, settings.resultsPublishedAt).map((step) => (
            <li key={`${step.kind}-${step.daysBefore ?? ''}`}>
              {step.kind === 'reminder'
                ? t('messages.step.reminder', { count: step.daysBefore })
                : t(`messages.step.${step.kind}`)}
              {': '}
              {step.on ? day(step.on) : t('messages.whenPublished')}
            </li>
          ))}
        </ol>
        <p>{settings.paused ? t('messages.paused') : t('messages.running')}</p>
        <p className="c-inline-actions">
          <button
            type="button"
            className="button button-secondary"
            disabled={busy}
            onClick={() =>
              void act(
                () => apiRequest('POST', `/messages/workshops/${w.id}/${settings.paused ? 'resume' : 'pause'}`),
                settings.paused ? t('messages.resumed') : t('messages.pausedNow'),
              )
            }
          >
            {settings.paused ? t('messages.resume') : t('messages.pause')}
          </button>
          {settings.resultsPublishedAt ? null : (
            <button
              type="button"
              className="button button-secondary"
              disabled={busy}
              onClick={() =>
                void act(
                  () => apiRequest('POST', `/messages/workshops/${w.id}/publish-results`),
                  t('messages.published'),
                )
              }
            >
              {t('messages.publish')}
            </button>
          )}
        </p>
        <form
          className="c-inline-actions"
          onSubmit={(e) => {
            e.preventDefault();
            const reminderDays = days
              .split(/[\s,;]+/)
              .filter(Boolean)
              .map(Number);
            void act(
              () => apiRequest('PUT', `/messages/workshops/${w.id}/reminder-days`, { reminderDays }),
              t('messages.daysSaved'),
            );
          }}
        >
          <label htmlFor="c-reminder-days">{t('messages.reminderDays')}</label>
          <input
            id="c-reminder-days"
            className="input"
            inputMode="numeric"
            dir="ltr"
            value={days}
            onChange={(e) => setDays(e.target.value)}
          />
          <button type="submit" className="button button-secondary" disabled={busy}>
            {t('messages.saveDays')}
          </button>
        </form>
        <StatusLine status={status} />
      </section>

      <section aria-labelledby="c-messages-people">
        <ScrollTable labelledBy="c-messages-people">
          <table className="c-table">
            <caption id="c-messages-people">{t('messages.perParticipant')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('messages.col.participant')}</th>
                <th scope="col">{t('messages.col.email')}</th>
                <th scope="col">{t('messages.col.push')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('messages.remindNow')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {detail.roster.map((p) => {
                const row = cells.get(p.id);
                const none: ChannelCell = { state: 'none', reason: null, latest: null };
                return (
                  <tr key={p.id}>
                    <th scope="row" dir="auto">
                      {p.fullName}
                    </th>
                    {cell(row?.email ?? none)}
                    {cell(row?.push ?? none)}
                    <td>
                      <button
                        type="button"
                        className="button button-secondary"
                        disabled={busy}
                        onClick={() => void remindNow(p.id, p.fullName)}
                      >
                        {t('messages.remindNow')}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </ScrollTable>
      </section>

      <MessagePreview />
    </>
  );
}

function MessagePreview() {
  const { t } = useCoordinatorT();
  const id = useId();
  const [kind, setKind] = useState<(typeof KINDS)[number]>('invitation');
  const [lang, setLang] = useState<MessageLanguage>('en');
  const view = useApi<Preview>(`/messages/preview?kind=${kind}&lang=${lang}`);
  return (
    <section aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>{t('messages.preview')}</h3>
      <p className="c-inline-actions">
        <label>
          {t('messages.previewKind')}{' '}
          <select className="input" value={kind} onChange={(e) => setKind(e.target.value as (typeof KINDS)[number])}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`messages.kind.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('messages.previewLang')}{' '}
          <select className="input" value={lang} onChange={(e) => setLang(e.target.value as MessageLanguage)}>
            {LANGS.map((l) => (
              <option key={l} value={l}>
                {t(`messages.lang.${l}`)}
              </option>
            ))}
          </select>
        </label>
      </p>
      <ViewState view={view}>
        {(p) => (
          <article lang={lang} dir={p.dir} className="c-message-preview">
            <p>
              <strong>{p.subject}</strong>
            </p>
            {p.text.split(/\n{2,}/).map((para, i) => (
              <p key={i}>{para}</p>
            ))}
          </article>
        )}
      </ViewState>
    </section>
  );
}
