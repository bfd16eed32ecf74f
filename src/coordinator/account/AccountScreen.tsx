/**
 * The coordinator's own account: the second factor (set it up, or replace
 * it with a new phone, and how many recovery codes are left) and the
 * password change, which asks for the current password and signs out every
 * other browser of the account.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Screen } from '../../client/ui/screen';
import { ApiProblem } from '../core/api';
import { currentToken } from '../core/store';
import { useCoordinatorT } from '../core/i18n';
import { changePassword, sessionInfo, type SessionInfo } from './auth-api';
import { TotpSetup } from './SecondFactor';

export default function AccountScreen() {
  const { t } = useCoordinatorT();
  const [info, setInfo] = useState<SessionInfo | null>(null);
  const [settingUp, setSettingUp] = useState(false);
  const reload = useCallback(() => {
    sessionInfo().then(setInfo, () => setInfo(null));
  }, []);
  useEffect(reload, [reload]);
  const token = currentToken();

  return (
    <Screen title={t('account.title')}>
      <section aria-labelledby="c-2fa-title">
        <h2 id="c-2fa-title">{t('account.secondFactor')}</h2>
        {info && (
          <p>
            {info.secondFactorEnabled
              ? t('account.enabled', { count: info.recoveryCodesLeft })
              : t(info.mfaRequired ? 'account.required' : 'account.disabled')}
          </p>
        )}
        {settingUp && token ? (
          <TotpSetup
            token={token}
            onDone={() => {
              setSettingUp(false);
              reload();
            }}
          />
        ) : (
          <button type="button" className="button button-secondary" onClick={() => setSettingUp(true)}>
            {info?.secondFactorEnabled ? t('account.replace') : t('account.setUp')}
          </button>
        )}
      </section>
      <PasswordForm />
    </Screen>
  );
}

function PasswordForm() {
  const { t } = useCoordinatorT();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (next !== again) return setMessage({ ok: false, text: t('account.mismatch') });
    setBusy(true);
    setMessage(null);
    try {
      await changePassword(current, next);
      setCurrent('');
      setNext('');
      setAgain('');
      setMessage({ ok: true, text: t('account.passwordChanged') });
    } catch (err) {
      const p = err instanceof ApiProblem ? err : null;
      setMessage({
        ok: false,
        text: p?.offline
          ? t('account.offline')
          : p?.code === 'wrong_password'
            ? t('account.wrongPassword')
            : p?.code.startsWith('password_')
              ? t(`account.${p.code}`, { min: 12 })
              : p?.status === 429
                ? t('errors.rateLimited')
                : t('errors.server'),
      });
    }
    setBusy(false);
  };
  const field = (id: string, label: string, value: string, set: (v: string) => void, auto: string) => (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        className="input"
        type="password"
        autoComplete={auto}
        required
        value={value}
        onChange={(e) => set(e.target.value)}
      />
    </div>
  );
  return (
    <section aria-labelledby="c-password-title">
      <h2 id="c-password-title">{t('account.passwordTitle')}</h2>
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <p className="hint">{t('account.passwordRules', { min: 12 })}</p>
        {field('c-current', t('account.currentPassword'), current, setCurrent, 'current-password')}
        {field('c-new', t('account.newPassword'), next, setNext, 'new-password')}
        {field('c-again', t('account.newAgain'), again, setAgain, 'new-password')}
        {message && (
          <p className={message.ok ? 'notice' : 'field-error'} role={message.ok ? 'status' : 'alert'}>
            {message.text}
          </p>
        )}
        <button type="submit" className="button" disabled={busy || !current || !next || !again}>
          {t('account.changePassword')}
        </button>
      </form>
    </section>
  );
}
