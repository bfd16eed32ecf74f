/**
 * The second factor in the browser: entering a code (from the authenticator
 * app, or one of the recovery codes) after the password, and setting up
 * TOTP by scanning a QR code, confirming it with a first code and writing
 * down the recovery codes, which are shown only this once.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { toDataURL } from 'qrcode';
import { ApiProblem } from '../core/api';
import { useCoordinatorT } from '../core/i18n';
import { beginSetup, confirmSetup, verifyCode } from './auth-api';

function useProblemText() {
  const { t } = useCoordinatorT();
  return (err: unknown) => {
    const p = err instanceof ApiProblem ? err : null;
    if (p?.offline) return t('account.offline');
    if (p?.status === 429) return t('errors.rateLimited');
    if (p?.code === 'expired') return t('account.tooMany');
    if (p?.code === 'wrong_code') return t('account.wrongCode');
    return t('errors.server');
  };
}

/** Asks for the code after a right password; `onPassed` saves the session. */
export function CodeForm({ token, onPassed }: { token: string; onPassed: () => Promise<void> }) {
  const { t } = useCoordinatorT();
  const problemText = useProblemText();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await verifyCode(token, code.trim());
      await onPassed();
    } catch (err) {
      setError(problemText(err));
      setBusy(false);
    }
  };
  return (
    <form className="form" onSubmit={(e) => void submit(e)} noValidate>
      <p>{t('account.codeLead')}</p>
      <div className="field">
        <label htmlFor="c-code">{t('account.code')}</label>
        <input
          id="c-code"
          className="input"
          autoComplete="one-time-code"
          inputMode="text"
          required
          value={code}
          onChange={(e) => setCode(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'c-code-error' : 'c-code-hint'}
        />
        <p className="hint" id="c-code-hint">
          {t('account.codeHint')}
        </p>
      </div>
      {error && (
        <p className="field-error" id="c-code-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="button" disabled={busy || code.trim() === ''}>
        {t('account.verify')}
      </button>
    </form>
  );
}

/** Scan, confirm, keep the recovery codes; `onDone` runs once the codes have been acknowledged. */
export function TotpSetup({ token, onDone }: { token: string; onDone: () => Promise<void> | void }) {
  const { t } = useCoordinatorT();
  const problemText = useProblemText();
  const [setup, setSetup] = useState<{ secret: string; qr: string } | null>(null);
  const [code, setCode] = useState('');
  const [codes, setCodes] = useState<string[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    beginSetup(token).then(
      async ({ secret, otpauthUri }) => {
        const qr = await toDataURL(otpauthUri, { margin: 1, width: 220 });
        if (live) setSetup({ secret, qr });
      },
      (err: unknown) => live && setError(problemText(err)),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- one secret per mounted set-up
  }, [token]);

  const confirm = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setCodes((await confirmSetup(token, code.trim())).recoveryCodes);
    } catch (err) {
      setError(problemText(err));
    }
    setBusy(false);
  };

  if (codes)
    return (
      <section aria-labelledby="c-recovery-title">
        <h2 id="c-recovery-title">{t('account.recoveryTitle')}</h2>
        <p>{t('account.recoveryLead')}</p>
        <ul className="c-recovery-codes" aria-label={t('account.recoveryTitle')}>
          {codes.map((c) => (
            <li key={c}>
              <code>{c}</code>
            </li>
          ))}
        </ul>
        <button type="button" className="button" onClick={() => void onDone()}>
          {t('account.recoverySaved')}
        </button>
      </section>
    );

  return (
    <form className="form" onSubmit={(e) => void confirm(e)} noValidate>
      <p>{t('account.setupLead')}</p>
      {setup ? (
        <>
          <img src={setup.qr} width={220} height={220} alt={t('account.qrAlt')} />
          <p>
            {t('account.secretText')} <code data-testid="totp-secret">{setup.secret}</code>
          </p>
        </>
      ) : (
        !error && <p>{t('account.preparing')}</p>
      )}
      <div className="field">
        <label htmlFor="c-setup-code">{t('account.firstCode')}</label>
        <input
          id="c-setup-code"
          className="input"
          autoComplete="one-time-code"
          inputMode="numeric"
          required
          value={code}
          onChange={(e) => setCode(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'c-setup-error' : undefined}
        />
      </div>
      {error && (
        <p className="field-error" id="c-setup-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="button" disabled={busy || !setup || code.trim() === ''}>
        {t('account.confirm')}
      </button>
    </form>
  );
}
