/**
 * Agenda change highlights on a workshop screen: a notice above the agenda
 * ("3 changes since you last looked", with removed sessions listed and a
 * "Mark as seen" button) and a label on each moved, cancelled, restored or
 * new session saying what it was before. The comparison runs whenever a
 * sync lands new rows, against the baseline kept in IndexedDB.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Badge } from '../../ui/screen';
import { getDb, type Stored } from '../../../device/db/database';
import { formatDay, formatTimeRange, isolate, zonedInstant } from '../../i18n/format';
import { countChanges, diffAgenda, NO_CHANGES, type AgendaChangeSet, type SessionChange } from './changes';
import { baselineAgenda, dismissAgendaChanges, readSeenSessions } from './seen-store';
import './agenda-changes.css';

type SessionRow = Stored<'agendaSessions'>;

/** The changes to show for this workshop's agenda, baselining it the first time it is seen. */
export function useAgendaChanges(workshopId: string, sessions: SessionRow[] | undefined): AgendaChangeSet {
  const seen = useLiveQuery(() => readSeenSessions(getDb(), workshopId), [workshopId]);

  useEffect(() => {
    if (sessions && sessions.length > 0) void baselineAgenda(getDb(), workshopId).catch(() => undefined);
  }, [workshopId, sessions]);

  // Search results link to #session-<id>; the agenda renders only once its rows are read.
  useEffect(() => {
    if (!sessions) return;
    const hash = window.location.hash;
    if (hash.startsWith('#session-')) document.getElementById(hash.slice(1))?.scrollIntoView({ block: 'center' });
  }, [sessions]);

  return seen && sessions ? diffAgenda(seen, sessions) : NO_CHANGES;
}

function when(lng: string, s: { date: string; start: string; end: string }, timeZone: string): string {
  const start = zonedInstant(s.date, s.start, timeZone);
  const end = zonedInstant(s.date, s.end, timeZone);
  return `${formatDay(lng, s.date, timeZone)}, ${formatTimeRange(lng, start, end, timeZone)}`;
}

export function AgendaChangesNotice(props: { workshopId: string; timeZone: string; changes: AgendaChangeSet }) {
  return (
    <Suspense fallback={null}>
      <Notice {...props} />
    </Suspense>
  );
}

function Notice({ workshopId, timeZone, changes }: { workshopId: string; timeZone: string; changes: AgendaChangeSet }) {
  const { t, i18n } = useTranslation('agenda-changes');
  const [cleared, setCleared] = useState(false);
  const count = countChanges(changes);

  const dismiss = async () => {
    await dismissAgendaChanges(getDb(), workshopId);
    setCleared(true);
  };

  return (
    <div role="status" aria-live="polite">
      {count > 0 ? (
        <div className="notice notice-warn agenda-changes">
          <p className="agenda-changes-title">{t('changes.summary', { count })}</p>
          {changes.removed.length > 0 && (
            <ul>
              {changes.removed.map((s) => (
                <li key={s.sessionId} dir="auto">
                  {t('changes.removed', { title: isolate(s.title), when: when(i18n.language, s, timeZone) })}
                </li>
              ))}
            </ul>
          )}
          <button type="button" className="button button-secondary" onClick={() => void dismiss()}>
            {t('changes.dismiss')}
          </button>
        </div>
      ) : (
        cleared && <p className="visually-hidden">{t('changes.dismissed')}</p>
      )}
    </div>
  );
}

export function SessionChangeBadge(props: { change: SessionChange | undefined; timeZone: string }) {
  if (!props.change) return null;
  return (
    <Suspense fallback={null}>
      <ChangeLabel change={props.change} timeZone={props.timeZone} />
    </Suspense>
  );
}

function ChangeLabel({ change, timeZone }: { change: SessionChange; timeZone: string }) {
  const { t, i18n } = useTranslation('agenda-changes');
  return (
    <span className="change-note">
      <Badge tone={change.kind === 'new' || change.kind === 'restored' ? 'ok' : 'warn'}>
        {t(`changes.kind.${change.kind}`)}
      </Badge>
      {change.kind === 'moved' && (
        <span className="change-from">
          {t('changes.movedFrom', { when: when(i18n.language, change.from, timeZone) })}
        </span>
      )}
    </span>
  );
}
