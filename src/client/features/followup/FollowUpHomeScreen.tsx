/**
 * "My follow-up": every workshop the participant attended, with its log,
 * survey and evaluation, and a notice when records were merged with another
 * phone's edits or refused by the server. Reached from the reminders and
 * the workshop pages.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { Loading, Screen } from '../../ui/screen';
import { getDb } from '../../../device/db/database';
import { useSyncStatus } from '../../sync/use-sync-status';
import { formatDateRange } from '../../i18n/format';
import { localizedWorkshop } from '../../content/workshops';
import { NotAParticipant } from '../../ui/NotAParticipant';
import { FollowUpPanel } from './FollowUpPanel';
import { attendedWorkshops, readIdentity } from '../../content/records';
import './followup.css';

export default function FollowUpHomeScreen() {
  const { t, i18n } = useTranslation(['followup', 'form']);
  const db = getDb();
  const identity = useLiveQuery(() => readIdentity(db), []);
  const workshops = useLiveQuery(() => attendedWorkshops(db), []);
  const status = useSyncStatus();

  if (identity === undefined || workshops === undefined) {
    return (
      <Screen title={t('home.title')}>
        <Loading />
      </Screen>
    );
  }
  if (identity === null) {
    return (
      <Screen title={t('home.title')}>
        <NotAParticipant />
      </Screen>
    );
  }
  const changes = status.unseenConflicts + status.unseenRejections;
  return (
    <Screen title={t('home.title')} lead={<p className="lead">{t('home.lead')}</p>}>
      {changes > 0 && (
        <p className="notice notice-warn">
          {t('home.changes', { count: changes })} <Link href="/follow-up/changes">{t('home.changesLink')}</Link>
        </p>
      )}
      {workshops.length === 0 ? (
        <p className="empty">{t('home.empty')}</p>
      ) : (
        workshops.map((w) => {
          const { title, titleLang } = localizedWorkshop(w, i18n.language);
          return (
            <article key={w.id} className="home-workshop" aria-labelledby={`home-${w.id}`}>
              <h2 id={`home-${w.id}`} dir="auto" lang={titleLang}>
                <Link href={`/workshops/${w.id}`}>{title}</Link>
              </h2>
              <p className="muted">{formatDateRange(i18n.language, w.startDate, w.endDate, w.timeZone)}</p>
              <FollowUpPanel workshop={w} embedded />
            </article>
          );
        })
      )}
      <p>
        <Link href="/follow-up/changes">{t('home.allChanges')}</Link>
      </p>
    </Screen>
  );
}
