/**
 * What changed in an agenda since the participant last saw it: sessions
 * moved to another day or time, cancelled, back on the agenda, new, or
 * removed. Participants told us the worst surprise is a session that moved
 * while they were offline, so the comparison keeps the old time to show
 * "was Tue 09:30". Pure.
 */
import type { SeenSession } from '../../../device/downloads/types';

/** The fields of a session that matter for a participant's plans. */
export interface SessionLike {
  id: string;
  workshopId: string;
  date: string;
  start: string;
  end: string;
  status: 'scheduled' | 'cancelled';
  title: string;
}

export type SessionChange =
  | { kind: 'new' }
  | { kind: 'moved'; from: Pick<SeenSession, 'date' | 'start' | 'end'> }
  | { kind: 'cancelled' }
  | { kind: 'restored' };

export interface AgendaChangeSet {
  bySession: Map<string, SessionChange>;
  /** Sessions the participant saw that are no longer on the agenda at all. */
  removed: SeenSession[];
  /** Nothing to compare with yet: the participant has not seen this agenda. */
  noBaseline: boolean;
}

export const NO_CHANGES: AgendaChangeSet = { bySession: new Map(), removed: [], noBaseline: true };

export function countChanges(set: AgendaChangeSet): number {
  return set.bySession.size + set.removed.length;
}

export function snapshotOf(session: SessionLike): SeenSession {
  return {
    sessionId: session.id,
    workshopId: session.workshopId,
    date: session.date,
    start: session.start,
    end: session.end,
    status: session.status,
    title: session.title,
  };
}

export function diffAgenda(seen: readonly SeenSession[], current: readonly SessionLike[]): AgendaChangeSet {
  if (seen.length === 0) return NO_CHANGES;
  const before = new Map(seen.map((s) => [s.sessionId, s]));
  const bySession = new Map<string, SessionChange>();
  for (const s of current) {
    const old = before.get(s.id);
    if (!old) {
      // A session added already cancelled is no news to anyone.
      if (s.status !== 'cancelled') bySession.set(s.id, { kind: 'new' });
      continue;
    }
    before.delete(s.id);
    // Cancelled outranks moved: a cancelled session's new time does not matter.
    if (s.status === 'cancelled' && old.status !== 'cancelled') bySession.set(s.id, { kind: 'cancelled' });
    else if (s.date !== old.date || s.start !== old.start || s.end !== old.end) {
      if (s.status !== 'cancelled') bySession.set(s.id, { kind: 'moved', from: old });
    } else if (s.status !== 'cancelled' && old.status === 'cancelled') bySession.set(s.id, { kind: 'restored' });
  }
  const removed = [...before.values()].filter((s) => s.status !== 'cancelled');
  return { bySession, removed, noBaseline: false };
}
