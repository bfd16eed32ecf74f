/**
 * Settings → "Follow-up messages": how the office may reach this
 * participant about the follow-up survey (push, e-mail, both or none, saved
 * on the server at once so a queued e-mail is cancelled the moment they say
 * no), and "Enable notifications" for this phone (a Web Push subscription
 * made from the tap, as browsers require). Messages come in the app's
 * current language. Needs a connection; offline, the section says so.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLiveQuery } from 'dexie-react-hooks';
import { ChannelChoice, MessageLanguage } from '../../../shared/schemas/messages';
import { getDb, readDeviceIdentity } from '../../../device/db/database';
import {
  disableNotifications,
  enableNotifications,
  fetchPreferences,
  notificationsEnabled,
  savePreferences,
} from './api';

const messageLanguage = (lng: string) => {
  const parsed = MessageLanguage.safeParse(lng.slice(0, 2));
  return parsed.success ? parsed.data : 'en';
};

export default function NotificationSettings() {
  const { t, i18n } = useTranslation('notifications');
  const enrolled = useLiveQuery(async () => Boolean(await readDeviceIdentity(getDb())), []);
  const [channels, setChannels] = useState<ChannelChoice | null>(null);
  const [problem, setProblem] = useState<'offline' | 'denied' | 'unsupported' | null>(null);
  const [pushOn, setPushOn] = useState<boolean | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!enrolled) return;
    fetchPreferences().then(
      (p) => setChannels(p.channels),
      () => setProblem('offline'),
    );
    void notificationsEnabled().then(setPushOn, () => setPushOn(false));
  }, [enrolled]);

  if (!enrolled) return null;

  const choose = async (next: ChannelChoice) => {
    const before = channels;
    setChannels(next);
    try {
      await savePreferences(next, messageLanguage(i18n.language));
      setProblem(null);
    } catch {
      setChannels(before);
      setProblem('offline');
    }
  };

  const togglePush = async () => {
    setBusy(true);
    try {
      if (pushOn) {
        await disableNotifications();
        setPushOn(false);
      } else {
        const outcome = await enableNotifications();
        setPushOn(outcome === 'on');
        setProblem(outcome === 'on' ? null : outcome);
      }
    } catch {
      setProblem('offline');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="messages-heading">
      <h2 id="messages-heading">{t('settings.title')}</h2>
      <p>{t('settings.lead')}</p>
      {problem ? (
        <p className="notice notice-warn" role="status">
          {t(`settings.problem.${problem}`)}
        </p>
      ) : null}
      {channels === null ? null : (
        <fieldset className="choice-group">
          <legend>{t('settings.channels')}</legend>
          {ChannelChoice.options.map((c) => (
            <label key={c} className="choice">
              <input
                type="radio"
                name="message-channels"
                value={c}
                checked={channels === c}
                onChange={() => void choose(c)}
              />
              <span>{t(`settings.channel.${c}`)}</span>
            </label>
          ))}
        </fieldset>
      )}
      <p>
        <button type="button" className="button button-secondary" onClick={() => void togglePush()} disabled={busy}>
          {pushOn ? t('settings.disablePush') : t('settings.enablePush')}
        </button>
      </p>
    </section>
  );
}
