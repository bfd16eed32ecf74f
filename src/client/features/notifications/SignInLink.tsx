/**
 * The single-use sign-in link from an invitation e-mail
 * (PUBLIC_URL/enrol#signin=<token>): it enrols the phone it is opened on, as
 * an enrolment code would, and opens the survey. The token rides in the
 * fragment, which browsers never send to a server or a log, and leaves the
 * address bar at once. It needs a connection this once; the survey itself
 * can then be answered offline.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'wouter';
import { Loading, Screen } from '../../ui/screen';
import { requestSync } from '../../sync/scheduler';
import { redeemSignInLink, type SignInResult } from './api';

/** The token in the address, if the page was opened from a sign-in link. */
export function signInTokenInAddress(): string | null {
  return new URLSearchParams(window.location.hash.slice(1)).get('signin');
}

/** One redemption per token per page, even when React runs the effect twice. */
const redemptions = new Map<string, Promise<SignInResult>>();

function deviceName(): string {
  const ua = navigator.userAgent;
  return /Android/.test(ua) ? 'Android phone' : /iPhone|iPad/.test(ua) ? 'iPhone' : 'Phone';
}

export default function SignInLink({ onUseCode }: { onUseCode: () => void }) {
  const { t } = useTranslation('notifications');
  const [, navigate] = useLocation();
  const [token] = useState(() => {
    const found = signInTokenInAddress();
    window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
    return found;
  });
  const [attempt, setAttempt] = useState(0);
  const [failure, setFailure] = useState<'spent' | 'offline' | 'unknown' | null>(null);

  useEffect(() => {
    if (!token) return;
    let current = redemptions.get(token);
    if (!current) {
      current = redeemSignInLink(token, deviceName());
      redemptions.set(token, current);
    }
    let live = true;
    void current.then((result) => {
      if (!live) return;
      if (result.ok) {
        void requestSync().catch(() => undefined);
        navigate(result.surveyPath, { replace: true });
        return;
      }
      // Only a connection problem may be retried with the same token; the server spent nothing.
      if (result.reason !== 'spent') redemptions.delete(token);
      setFailure(result.reason);
    });
    return () => {
      live = false;
    };
  }, [token, attempt, navigate]);

  if (token && failure === null) {
    return (
      <Screen title={t('signIn.title')}>
        <Loading />
      </Screen>
    );
  }
  return (
    <Screen title={t('signIn.title')}>
      <p className="notice notice-warn" role="alert">
        {t(`signIn.${failure ?? 'spent'}`)}
      </p>
      {failure === 'offline' || failure === 'unknown' ? (
        <p>
          <button
            type="button"
            className="button"
            onClick={() => {
              setFailure(null);
              setAttempt((n) => n + 1);
            }}
          >
            {t('signIn.retry')}
          </button>
        </p>
      ) : null}
      <p>
        <button type="button" className="button button-secondary" onClick={onUseCode}>
          {t('signIn.useCode')}
        </button>
      </p>
    </Screen>
  );
}
