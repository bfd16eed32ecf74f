/**
 * Reminders at the top of every screen: a 6-month survey that has opened,
 * is due soon or is overdue (worked out on the phone from the stored
 * workshop dates, so they appear on time after months offline), and records
 * merged with another phone's edits or refused by the server. Mounted by the
 * app shell as a lazy chunk; the follow-up strings load only when there is
 * something to say.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'wouter';
import { getDb, readDeviceIdentity } from '../../../device/db/database';
import { useSyncStatus } from '../../sync/use-sync-status';
import { formatIsoDate } from '../../i18n/dates';
import { isolate } from '../../i18n/format';
import { localizedWorkshop } from '../../content/workshops';
import { dismissKey, nextChangeAt, surveyReminders, type SurveyReminder } from './reminders';
import type { WorkshopRow } from '../../content/records';
import '../../ui/form.css';
import './survey.css';

interface Reminders {
  reminders: SurveyReminder[];
  workshops: Map<string, WorkshopRow>;
  next: Date | null;
}

async function readReminders(now: Date): Promise<Reminders | null> {
  const db = getDb();
  const identity = await readDeviceIdentity(db);
  if (!identity) return null;
  const rows = (await db.workshops.bulkGet(identity.workshopIds)).filter(
    (w): w is WorkshopRow => w !== undefined && !w._deleted,
  );
  const responses = await db.surveyResponses.where('workshopId').anyOf(identity.workshopIds).toArray();
  const answered = new Set(responses.filter((r) => !r._deleted && r.status === 'submitted').map((r) => r.workshopId));
  const settings = await db.settings.bulkGet(rows.map((w) => dismissKey(w.id)));
  const dismissed = new Map<string, string>();
  rows.forEach((w, i) => {
    const value = settings[i]?.value;
    if (typeof value === 'string') dismissed.set(w.id, value);
  });
  return {
    reminders: surveyReminders(rows, answered, dismissed, now),
    workshops: new Map(rows.map((w) => [w.id, w])),
    next: nextChangeAt(rows, now),
  };
}

/** The survey, the evaluation and the action form. */
const FORM_ROUTE = /^\/workshops\/[^/]+\/(survey|evaluation|follow-up\/.+)/;

/** Longest wait between re-checks, so a sleeping phone that wakes is right within the hour. */
const MAX_WAIT_MS = 3_600_000;

export default function FollowUpNotices() {
  const [now, setNow] = useState(() => new Date());
  const data = useLiveQuery(() => readReminders(now), [now]);
  const status = useSyncStatus();
  const [location] = useLocation();

  useEffect(() => {
    const wait = data?.next ? Math.min(Math.max(data.next.getTime() - Date.now(), 1000), MAX_WAIT_MS) : MAX_WAIT_MS;
    const timer = setTimeout(() => setNow(new Date()), wait);
    return () => clearTimeout(timer);
  }, [data?.next]);

  // Not over a form being filled in (the survey screen shows its own clock).
  const onForm = FORM_ROUTE.test(location);
  const reminders = onForm ? [] : (data?.reminders ?? []);
  const changes = location.startsWith('/follow-up/changes') ? 0 : status.unseenConflicts + status.unseenRejections;
  if (reminders.length === 0 && changes === 0) return null;
  return (
    <Suspense fallback={null}>
      <NoticesView reminders={reminders} workshops={data?.workshops ?? new Map()} changes={changes} />
    </Suspense>
  );
}

function NoticesView({
  reminders,
  workshops,
  changes,
}: {
  reminders: SurveyReminder[];
  workshops: Map<string, WorkshopRow>;
  changes: number;
}) {
  const { t, i18n } = useTranslation(['survey', 'form']);
  const lng = i18n.language;
  return (
    <div className="followup-notices" role="status" aria-live="polite">
      {reminders.slice(0, 3).map((r) => {
        const w = workshops.get(r.workshopId);
        if (!w) return null;
        const title = localizedWorkshop(w, lng).title;
        const named = isolate(title);
        const due = formatIsoDate(lng, r.dueOn, w.timeZone);
        const text =
          r.phase === 'open'
            ? t('reminder.open', { title: named, due })
            : r.phase === 'due-soon'
              ? t('reminder.dueSoon', { title: named, due, count: r.daysLeft })
              : t('reminder.overdue', { title: named, due });
        return (
          <div key={r.workshopId} className={r.phase === 'open' ? 'notice reminder' : 'notice notice-warn reminder'}>
            <p dir="auto">{text}</p>
            <p className="reminder-actions">
              <Link href={`/workshops/${r.workshopId}/survey`} className="button">
                {t('reminder.answer')}
              </Link>
              <button
                type="button"
                className="button button-secondary"
                onClick={() => void getDb().settings.put({ key: dismissKey(r.workshopId), value: r.phase })}
              >
                {t('reminder.later')}
                <span className="visually-hidden">: {title}</span>
              </button>
            </p>
          </div>
        );
      })}
      {changes > 0 && (
        <p className="notice notice-warn reminder">
          {t('home.changes', { count: changes })} <Link href="/follow-up/changes">{t('home.changesLink')}</Link>
        </p>
      )}
    </div>
  );
}
