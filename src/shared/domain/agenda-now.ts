/**
 * "Now" and "Next" on a workshop's agenda. Sessions are written on the
 * workshop's wall clock (09:30 in Suva), so each is turned into instants in
 * the workshop's zone before comparing with the current instant: a
 * participant in Apia following a Bangkok workshop sees the session that is
 * on in Bangkok, across midnight and daylight-saving changes alike. Only
 * while the workshop runs (from midnight of its first scheduled day, in its
 * zone, to the end of its last session); cancelled sessions are skipped.
 * Parallel sessions (breakouts) can all be "now", or all "next". Pure.
 */
import { zonedInstant } from './time-zones';

export interface TimedSession {
  id: string;
  date: string;
  start: string;
  end: string;
  status: 'scheduled' | 'cancelled';
}

export interface AgendaNow<T extends TimedSession> {
  /** Sessions under way at the instant (start ≤ at < end), in agenda order. */
  now: T[];
  /** The sessions starting soonest after the instant (several when they start together). */
  next: T[];
  /** When `next` begins; null when nothing is next. */
  nextStartsAt: Date | null;
}

export function agendaNow<T extends TimedSession>(sessions: readonly T[], timeZone: string, at: Date): AgendaNow<T> {
  const timed = sessions
    .filter((s) => s.status !== 'cancelled')
    .map((s) => ({
      session: s,
      start: zonedInstant(s.date, s.start, timeZone).getTime(),
      end: zonedInstant(s.date, s.end, timeZone).getTime(),
    }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const first = timed[0];
  const none: AgendaNow<T> = { now: [], next: [], nextStartsAt: null };
  if (!first) return none;
  const instant = at.getTime();
  // Not "during the workshop" yet: a first session weeks away is not "next".
  if (instant < zonedInstant(first.session.date, '00:00', timeZone).getTime()) return none;

  const now = timed.filter((s) => s.start <= instant && instant < s.end).map((s) => s.session);
  const upcoming = timed.filter((s) => s.start > instant);
  const soonest = upcoming[0]?.start;
  if (soonest === undefined) return { now, next: [], nextStartsAt: null };
  return {
    now,
    next: upcoming.filter((s) => s.start === soonest).map((s) => s.session),
    nextStartsAt: new Date(soonest),
  };
}
