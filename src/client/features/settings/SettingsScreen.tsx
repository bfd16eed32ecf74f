/**
 * Settings: language, whether the browser protects Vaka's storage (and how
 * much it uses), sync details, and installing to the home screen. Storage
 * eviction is the top cause of lost records in comparable tools, so its
 * state is shown plainly with a button to fix it.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isIos, useInstallPrompt } from '../../pwa/install-prompt';
import { Loading, Screen } from '../../ui/screen';
import { formatBytes, formatMoment, formatNumber } from '../../i18n/format';
import { LANGUAGES, type LanguageCode } from '../../i18n/languages';
import { saveLanguage } from '../../i18n/language-preference';
import { useSyncStatus } from '../../sync/use-sync-status';
import { requestSync } from '../../sync/scheduler';
import { CoordinatorLink } from './CoordinatorLink';

/**
 * `storageLink`: the way to the storage panel, passed in by the app (storage is its own feature);
 * `notifications`: the follow-up messages section (features/notifications), likewise.
 */
export default function SettingsScreen({
  storageLink,
  notifications,
}: {
  storageLink?: ReactNode;
  notifications?: ReactNode;
}) {
  const { t } = useTranslation(['settings', 'common']);
  return (
    <Screen title={t('settings.title')}>
      <LanguageSection />
      <StorageSection storageLink={storageLink} />
      {notifications}
      <SyncSection />
      <InstallSection />
      <section aria-labelledby="about-heading">
        <h2 id="about-heading">{t('settings.about')}</h2>
        <p>{t('settings.aboutBody')}</p>
        <CoordinatorLink />
      </section>
    </Screen>
  );
}

function LanguageSection() {
  const { t, i18n } = useTranslation(['settings', 'common']);
  const [selected, setSelected] = useState(i18n.language);
  // Strings are fetched before the switch, so the screen changes language in
  // place instead of suspending the whole app while the chunk loads.
  const change = async (code: LanguageCode) => {
    setSelected(code);
    await i18n.loadLanguages(code);
    await i18n.changeLanguage(code);
    await saveLanguage(code).catch(() => undefined);
  };
  return (
    <section aria-labelledby="language-heading">
      <h2 id="language-heading">{t('settings.language')}</h2>
      <fieldset className="choice-group">
        <legend className="visually-hidden">{t('settings.language')}</legend>
        <p className="field-hint">{t('settings.languageHint')}</p>
        {LANGUAGES.map((l) => (
          <label key={l.code} className="choice" lang={l.code} dir={l.dir}>
            <input
              type="radio"
              name="language"
              value={l.code}
              checked={selected === l.code}
              onChange={() => void change(l.code)}
            />
            <span>{l.nativeName}</span>
          </label>
        ))}
      </fieldset>
    </section>
  );
}

interface StorageInfo {
  persisted: boolean | null;
  usage: number | null;
  quota: number | null;
}

async function readStorage(): Promise<StorageInfo> {
  const storage = navigator.storage as StorageManager | undefined;
  const [persisted, estimate] = await Promise.all([
    storage?.persisted ? storage.persisted().catch(() => null) : Promise.resolve(null),
    storage?.estimate ? storage.estimate().catch(() => null) : Promise.resolve(null),
  ]);
  return { persisted, usage: estimate?.usage ?? null, quota: estimate?.quota ?? null };
}

function StorageSection({ storageLink }: { storageLink: ReactNode }) {
  const { t, i18n } = useTranslation(['settings', 'common']);
  const [info, setInfo] = useState<StorageInfo | null>(null);
  const [denied, setDenied] = useState(false);

  useEffect(() => {
    let live = true;
    void readStorage().then((next) => {
      if (live) setInfo(next);
    });
    return () => {
      live = false;
    };
  }, []);

  async function protect() {
    const granted = await navigator.storage.persist().catch(() => false);
    setDenied(!granted);
    setInfo(await readStorage());
  }

  return (
    <section aria-labelledby="storage-heading">
      <h2 id="storage-heading">{t('settings.storage')}</h2>
      {info === null ? (
        <Loading />
      ) : (
        <>
          <p className={info.persisted ? 'notice notice-ok' : 'notice notice-warn'}>
            {info.persisted === null
              ? t('settings.persistUnknown')
              : info.persisted
                ? t('settings.persisted')
                : t('settings.notPersisted')}
          </p>
          {info.persisted === false && (
            <p>
              <button type="button" className="button" onClick={() => void protect()}>
                {t('settings.persistButton')}
              </button>
            </p>
          )}
          {denied && <p role="status">{t('settings.persistDenied')}</p>}
          <p>
            {info.usage !== null && info.quota !== null
              ? t('settings.usage', {
                  used: formatBytes(i18n.language, info.usage),
                  quota: formatBytes(i18n.language, info.quota),
                })
              : t('settings.usageUnknown')}
          </p>
          {storageLink}
        </>
      )}
    </section>
  );
}

function SyncSection() {
  const { t, i18n } = useTranslation(['settings', 'common']);
  const status = useSyncStatus();
  const lng = i18n.language;
  const heading = useRef<HTMLHeadingElement>(null);
  // The header's sync pill links here (/settings#sync); a client-side
  // navigation does not scroll to the fragment by itself.
  useEffect(() => {
    if (window.location.hash === '#sync' && heading.current) {
      heading.current.scrollIntoView();
      heading.current.focus();
    }
  }, []);
  return (
    <section aria-labelledby="sync">
      <h2 id="sync" ref={heading} tabIndex={-1}>
        {t('sync.detailsTitle')}
      </h2>
      <p>{t('sync.explain')}</p>
      {status.pending > 0 && status.oldestPendingAt !== null && isOld(status.oldestPendingAt) && (
        <p className="notice notice-warn">
          {t('sync.waitingLong', { time: formatMoment(lng, status.oldestPendingAt) })}
        </p>
      )}
      <dl className="facts">
        <div>
          <dt>{t('sync.pending')}</dt>
          <dd>{formatNumber(lng, status.pending)}</dd>
        </div>
        <div>
          <dt>{t('sync.lastSuccess')}</dt>
          <dd>{status.lastSuccessAt ? formatMoment(lng, status.lastSuccessAt) : t('sync.never')}</dd>
        </div>
        <div>
          <dt>{t('sync.lastError')}</dt>
          <dd>{status.error ? t(status.error, { defaultValue: t('sync.error.unknown') }) : t('sync.none')}</dd>
        </div>
      </dl>
      <p>
        <button
          type="button"
          className="button button-secondary"
          onClick={() => void requestSync().catch(() => undefined)}
          disabled={status.syncing}
        >
          {status.syncing ? t('sync.sending') : t('sync.sendNow')}
        </button>
      </p>
    </section>
  );
}

/** Records unsent for days are at risk if the phone is lost or its storage cleared. */
const LONG_WAIT_MS = 3 * 24 * 60 * 60 * 1000;

function isOld(iso: string): boolean {
  return Date.now() - new Date(iso).getTime() > LONG_WAIT_MS;
}

function InstallSection() {
  const { t } = useTranslation(['settings', 'common']);
  const { canInstall, installed, install } = useInstallPrompt();
  return (
    <section aria-labelledby="install-heading">
      <h2 id="install-heading">{t('settings.install')}</h2>
      {installed ? (
        <p>{t('settings.installed')}</p>
      ) : (
        <>
          <p>{t('settings.installLead')}</p>
          {canInstall && (
            <p>
              <button type="button" className="button" onClick={() => void install()}>
                {t('settings.installButton')}
              </button>
            </p>
          )}
          {isIos() ? (
            <p className="notice">{t('settings.iosHint')}</p>
          ) : (
            !canInstall && <p className="muted">{t('settings.installUnavailable')}</p>
          )}
        </>
      )}
    </section>
  );
}
