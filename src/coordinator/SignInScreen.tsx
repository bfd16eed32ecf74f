/**
 * Coordinator sign-in. Accounts are made by the operator (npm run admin);
 * there is no sign-up and no default password. Signing in needs the
 * network; once signed in, the last fetched views open offline. After the
 * password comes the second factor when the account has one (a code) or
 * the server requires one (set it up here, account/SecondFactor.tsx).
 */
import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { Screen } from '../client/ui/screen';
import { ApiProblem } from './core/api';
import { useCoordinatorT } from './core/i18n';
import { invalidateViews } from './core/use-api';
import { finishSignIn, signInWithPassword, type PasswordStep } from './account/auth-api';
import { CodeForm, TotpSetup } from './account/SecondFactor';

export function SignInScreen() {
  const { t } = useCoordinatorT();
  return (
    <Screen title={t('signIn.title')} lead={<p className="lead">{t('signIn.lead')}</p>}>
      <SignInForm initialEmail="" />
      <p className="c-aside">
        <Link href="~/">{t('signIn.participantApp')}</Link>
      </p>
    </Screen>
  );
}

export function SignInForm({ initialEmail }: { initialEmail: string }) {
  const { t } = useCoordinatorT();
  const [email, setEmail] = useState(initialEmail);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState<PasswordStep | null>(null);

  const done = async (step: PasswordStep) => {
    await finishSignIn(step);
    // Views shown from the cache while the session was over fetch again with the new token.
    invalidateViews();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const step = await signInWithPassword(email.trim(), password);
      if (step.secondFactor === 'done') invalidateViews();
      else {
        setPassword('');
        setPending(step);
        setBusy(false);
      }
    } catch (err) {
      const p = err instanceof ApiProblem ? err : null;
      setError(
        p?.offline
          ? t('signIn.offline')
          : p?.status === 401 || p?.status === 400
            ? t('signIn.wrong')
            : p?.status === 429
              ? t('errors.rateLimited')
              : t('errors.server'),
      );
      setBusy(false);
    }
  };

  if (pending?.secondFactor === 'verify') return <CodeForm token={pending.token} onPassed={() => done(pending)} />;
  if (pending?.secondFactor === 'setup')
    return (
      <>
        <p>{t('account.setupRequired')}</p>
        <TotpSetup token={pending.token} onDone={() => done(pending)} />
      </>
    );

  return (
    <form className="form" onSubmit={(e) => void submit(e)} noValidate>
      <div className="field">
        <label htmlFor="c-email">{t('signIn.email')}</label>
        <input
          id="c-email"
          className="input"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'c-signin-error' : undefined}
        />
      </div>
      <div className="field">
        <label htmlFor="c-password">{t('signIn.password')}</label>
        <input
          id="c-password"
          className="input"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'c-signin-error' : undefined}
        />
      </div>
      {error && (
        <p className="field-error" id="c-signin-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="button" disabled={busy || email === '' || password === ''}>
        {busy ? t('signIn.busy') : t('signIn.submit')}
      </button>
    </form>
  );
}
