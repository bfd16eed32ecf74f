/**
 * Coordinator sign-in. Accounts are made by the operator (npm run admin);
 * there is no sign-up and no default password. Signing in needs the
 * network; once signed in, the last fetched views open offline.
 */
import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { Screen } from '../client/ui/screen';
import { ApiProblem, signIn } from './api';
import { useCoordinatorT } from './parts';
import { invalidateViews } from './use-api';

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

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(email.trim(), password);
      // Views shown from the cache while the session was over fetch again with the new token.
      invalidateViews();
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
