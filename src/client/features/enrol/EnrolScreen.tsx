/**
 * Enrolment: the participant types the 12-character code from their
 * coordinator once, and this phone is linked to their workshops and their
 * follow-up. It is the one step that needs a connection; the screen says so
 * rather than failing silently.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { getDb, type DeviceIdentity } from '../../../device/db/database';
import { enroll } from '../../sync/enroll';
import { Loading, Screen } from '../../ui/screen';
import { normalizeCode, CODE_LENGTH } from './code';
import { localizedWorkshop } from '../../content/workshops';

async function readIdentity(): Promise<DeviceIdentity | null> {
  const row = await getDb().meta.get('device');
  return row?.key === 'device' ? row : null;
}

async function readWorkshops(ids: readonly string[]) {
  const rows = await getDb().workshops.bulkGet([...ids]);
  return rows.filter((w): w is NonNullable<typeof w> => w !== undefined && !w._deleted);
}

/**
 * The engine names errors by i18n key ('enrol.error.expired'); the screen
 * keys its strings by the last part only, so the two spellings of the
 * namespace cannot drift apart into a raw key on screen.
 */
function errorReason(key: string): string {
  const reason = key.slice(key.lastIndexOf('.') + 1);
  return ['invalid', 'expired', 'rateLimited', 'offline'].includes(reason) ? reason : 'unknown';
}

export default function EnrolScreen() {
  const { t } = useTranslation(['enrol', 'common']);
  const identity = useLiveQuery(readIdentity, []);
  const [showForm, setShowForm] = useState(() => window.location.hash.includes('code='));
  // After a successful enrolment the form disappears under the reader's
  // finger; the new heading takes focus so screen readers announce it.
  const [justEnrolled, setJustEnrolled] = useState(false);

  if (identity === undefined) {
    return (
      <Screen title={t('enroll.title')}>
        <Loading />
      </Screen>
    );
  }
  if (identity !== null && !showForm) {
    return (
      <Screen key="enrolled" title={t('enroll.enrolledTitle')} autoFocus={justEnrolled}>
        <EnrolledWorkshops identity={identity} />
        <p>
          <button type="button" className="button button-secondary" onClick={() => setShowForm(true)}>
            {t('enroll.another')}
          </button>
        </p>
      </Screen>
    );
  }
  return (
    <Screen key="form" title={t('enroll.title')} lead={<p className="lead">{t('enroll.lead')}</p>}>
      <EnrolForm
        onEnrolled={() => {
          setJustEnrolled(true);
          setShowForm(false);
        }}
      />
    </Screen>
  );
}

function EnrolledWorkshops({ identity }: { identity: DeviceIdentity }) {
  const { t, i18n } = useTranslation(['enrol', 'common']);
  const workshops = useLiveQuery(() => readWorkshops(identity.workshopIds), [identity.workshopIds]);
  return (
    <>
      <p className="notice notice-ok" role="status">
        {t('enroll.enrolledLead')}
      </p>
      {workshops === undefined ? (
        <Loading />
      ) : workshops.length === 0 ? (
        <p className="muted">{t('enroll.noWorkshops')}</p>
      ) : (
        <ul className="card-list">
          {workshops.map((w) => {
            const { title, titleLang } = localizedWorkshop(w, i18n.language);
            return (
              <li key={w.id} className="card">
                <h2 className="card-title" dir="auto" lang={titleLang}>
                  <Link href={`/workshops/${w.id}`} className="card-link">
                    {title}
                  </Link>
                </h2>
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}

function codeFromFragment(): string {
  const code = new URLSearchParams(window.location.hash.slice(1)).get('code') ?? '';
  if (code) window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
  return code;
}

function EnrolForm({ onEnrolled }: { onEnrolled: () => void }) {
  const { t } = useTranslation(['enrol', 'common']);
  const inputId = useId();
  const hintId = useId();
  const errorId = useId();
  // A scanned QR code or a tapped link carries the code in the fragment (#code=…), which never reaches
  // a server or a log; take it into the field and drop it from the address bar.
  const [code, setCode] = useState(codeFromFragment);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const normalized = normalizeCode(code);
    if (normalized.kind === 'length') {
      setError(t('enroll.tooShort', { count: normalized.length, length: CODE_LENGTH }));
      return;
    }
    if (normalized.kind === 'characters') {
      setError(t('enroll.badCharacters'));
      return;
    }
    // Ask for storage that the browser will not evict while we still hold
    // the user's tap; after the network round trip the gesture is gone.
    void navigator.storage?.persist?.().catch(() => false);
    setBusy(true);
    setError(null);
    try {
      const result = await enroll(normalized.code);
      if (result.ok) onEnrolled();
      else setError(t(`enroll.error.${errorReason(result.error)}`));
    } catch {
      setError(t('enroll.error.unknown'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="form" onSubmit={(e) => void submit(e)} noValidate>
      <div className="field">
        <label htmlFor={inputId}>{t('enroll.codeLabel')}</label>
        <p id={hintId} className="field-hint">
          {t('enroll.codeHint', { length: CODE_LENGTH })}
        </p>
        <input
          id={inputId}
          className="input input-code"
          name="code"
          type="text"
          inputMode="text"
          autoComplete="one-time-code"
          autoCapitalize="characters"
          autoCorrect="off"
          spellCheck={false}
          maxLength={CODE_LENGTH + 8}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          aria-describedby={error ? `${hintId} ${errorId}` : hintId}
          aria-invalid={error ? true : undefined}
          required
        />
        {error && (
          <p id={errorId} className="field-error" role="alert">
            {error}
          </p>
        )}
      </div>
      <button type="submit" className="button" disabled={busy}>
        {busy ? t('enroll.submitting') : t('enroll.submit')}
      </button>
    </form>
  );
}
