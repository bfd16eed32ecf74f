/**
 * The agenda's "now" and "next", re-evaluated at the turn of every minute
 * while the screen is open, and at once when the phone wakes the page
 * (background tabs get their timers throttled or frozen).
 */
import { useEffect, useMemo, useState } from 'react';
import { agendaNow, type AgendaNow, type TimedSession } from '../../../shared/domain/agenda-now';

const MINUTE = 60_000;

function useMinuteClock(): number {
  const [minute, setMinute] = useState(() => Math.floor(Date.now() / MINUTE));
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    const tick = () => {
      setMinute(Math.floor(Date.now() / MINUTE));
      timer = setTimeout(tick, MINUTE - (Date.now() % MINUTE) + 50);
    };
    timer = setTimeout(tick, MINUTE - (Date.now() % MINUTE) + 50);
    const onVisible = () => {
      if (document.visibilityState === 'visible') setMinute(Math.floor(Date.now() / MINUTE));
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, []);
  return minute;
}

export function useAgendaNow<T extends TimedSession>(
  sessions: readonly T[] | undefined,
  timeZone: string,
): AgendaNow<T> {
  const minute = useMinuteClock();
  return useMemo(() => agendaNow(sessions ?? [], timeZone, new Date(minute * MINUTE)), [sessions, timeZone, minute]);
}
