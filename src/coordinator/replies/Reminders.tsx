/**
 * Reminding the participants who have not answered: their addresses to
 * copy, a ready e-mail (everyone in Bcc), and the reminder the app itself
 * shows on their phones, whose due date a press moves a week later.
 */
import { useState } from 'react';
import { apiRequest, asProblem } from '../core/api';
import { useCoordinatorT } from '../core/i18n';
import type { RepliesView, WorkshopDetail } from '../core/types';
import { invalidateViews } from '../core/use-api';
import { problemText } from '../ui/problem-text';
import { StatusLine, type Status } from '../ui/StatusLine';
import { reminderList, reminderMailto } from './reply-groups';

/** How far the in-app reminder's due date moves per press: one more week, as the office's reminders do. */
const EXTEND_DAYS = 7;

/** `due`: the due date already written the reader's way. */
export function Reminders({ data, detail, due }: { data: RepliesView; detail: WorkshopDetail; due: string }) {
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
