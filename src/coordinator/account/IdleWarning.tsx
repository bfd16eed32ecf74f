/**
 * The idle timeout seen from the workspace (the server ends a session after
 * COORDINATOR_IDLE_MINUTES without a request). Typing and clicking count as
 * activity: while the coordinator works on a long form the session is kept
 * alive with GET /auth/session, at most once every few minutes. After a
 * quiet spell a warning offers to stay signed in, two minutes before the
 * end. If the session does end, the screens stay mounted and the sign-in
 * form opens in place (CoordinatorApp's SessionEnded), so nothing typed is
 * lost.
 */
import { useEffect, useRef, useState } from 'react';
import { useCoordinatorT } from '../core/i18n';
import { sessionInfo } from './auth-api';

const WARN_BEFORE_MS = 2 * 60_000;
const KEEPALIVE_EVERY_MS = 4 * 60_000;

export function IdleWarning() {
  const { t } = useCoordinatorT();
  const [idleMs, setIdleMs] = useState<number | null>(null);
  const [warning, setWarning] = useState(false);
  /** When the server's idle clock last moved, as far as this tab knows. */
  const lastPing = useRef(0);

  useEffect(() => {
    sessionInfo().then(
      (info) => setIdleMs(info.idleMinutes * 60_000),
      () => undefined,
    );
  }, []);

  useEffect(() => {
    if (idleMs === null) return;
    lastPing.current = Date.now();
    const ping = () => {
      lastPing.current = Date.now();
      void sessionInfo().catch(() => undefined);
    };
    const active = () => {
      if (Date.now() - lastPing.current > Math.min(KEEPALIVE_EVERY_MS, idleMs / 2)) ping();
    };
    const tick = () => {
      const quiet = Date.now() - lastPing.current;
      setWarning(quiet > idleMs - WARN_BEFORE_MS && quiet < idleMs);
    };
    const events = ['keydown', 'pointerdown', 'input'] as const;
    for (const e of events) window.addEventListener(e, active, { passive: true });
    const timer = window.setInterval(tick, 15_000);
    return () => {
      for (const e of events) window.removeEventListener(e, active);
      window.clearInterval(timer);
    };
  }, [idleMs]);

  if (!warning) return null;
  return (
    <div className="notice notice-warn no-print" role="alertdialog" aria-labelledby="c-idle-title">
      <p id="c-idle-title">{t('account.idleWarning')}</p>
      <button
        type="button"
        className="button"
        onClick={() => {
          lastPing.current = Date.now();
          setWarning(false);
          void sessionInfo().catch(() => undefined);
        }}
      >
        {t('account.stay')}
      </button>
    </div>
  );
}
