/**
 * "Add to my calendar" for the follow-up survey: saves an .ics file with
 * the survey window and its alarms (survey-calendar.ts), so the phone's own
 * calendar reminds its owner even with no network. Built on the device from
 * the stored workshop (the ics library loads only on this tap); not offered
 * once the survey is overdue.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLiveQuery } from 'dexie-react-hooks';
import { getDb } from '../../../device/db/database';
import { surveyWindow } from '../../../shared/domain/survey-window';
import { localizedWorkshop } from '../../content/workshops';

export default function SurveyCalendarButton({ workshopId }: { workshopId: string }) {
  const { t, i18n } = useTranslation('notifications');
  const workshop = useLiveQuery(() => getDb().workshops.get(workshopId), [workshopId]);
  const [failed, setFailed] = useState(false);
  // Once the survey is overdue, alarms would all lie in the past: nothing to add.
  if (!workshop || workshop._deleted || surveyWindow(workshop, new Date()).phase === 'overdue') return null;

  const download = async () => {
    try {
      const { surveyCalendar } = await import('./survey-calendar');
      const { title } = localizedWorkshop(workshop, i18n.language);
      const url = `${window.location.origin}/workshops/${workshop.id}/survey`;
      const ics = surveyCalendar(workshop, url, {
        title: t('calendar.title', { workshop: title }),
        description: t('calendar.description', { url }),
        opens: t('calendar.opens'),
        dueIn: (days) => t('calendar.dueIn', { count: days }),
        dueToday: t('calendar.dueToday'),
      });
      const href = URL.createObjectURL(new Blob([ics], { type: 'text/calendar;charset=utf-8' }));
      const link = document.createElement('a');
      link.href = href;
      link.download = 'follow-up-survey.ics';
      link.click();
      setTimeout(() => URL.revokeObjectURL(href), 60_000);
      setFailed(false);
    } catch {
      setFailed(true);
    }
  };

  return (
    <p>
      <button type="button" className="button button-secondary" onClick={() => void download()}>
        {t('calendar.add')}
      </button>
      {failed ? (
        <span className="notice notice-warn" role="status">
          {t('calendar.failed')}
        </span>
      ) : null}
    </p>
  );
}
