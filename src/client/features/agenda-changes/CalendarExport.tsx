/**
 * "Add to calendar": saves the workshop's agenda as an .ics file that the
 * phone's calendar imports. The file is built on the device (the ics
 * library loads only on this tap), so it works offline too.
 */
import { Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Stored } from '../../db/database';
import { formatList } from '../../i18n/format';

export function CalendarExport(props: {
  workshop: Stored<'workshops'>;
  sessions: Stored<'agendaSessions'>[] | undefined;
}) {
  if (!props.sessions || props.sessions.length === 0) return null;
  return (
    <Suspense fallback={null}>
      <ExportButton workshop={props.workshop} sessions={props.sessions} />
    </Suspense>
  );
}

function ExportButton({ workshop, sessions }: { workshop: Stored<'workshops'>; sessions: Stored<'agendaSessions'>[] }) {
  const { t, i18n } = useTranslation('offline');
  const [failed, setFailed] = useState(false);

  const save = async () => {
    try {
      const { agendaCalendar, calendarFileName } = await import('./calendar');
      const text = agendaCalendar(workshop, sessions, {
        speakers: (names) => t('calendar.speakers', { names: formatList(i18n.language, names) }),
      });
      const url = URL.createObjectURL(new Blob([text], { type: 'text/calendar;charset=utf-8' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = calendarFileName(workshop.title);
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setFailed(false);
    } catch {
      setFailed(true);
    }
  };

  return (
    <div className="calendar-export">
      <button type="button" className="button button-secondary" onClick={() => void save()}>
        {t('calendar.export')}
      </button>
      <p className="muted">{t('calendar.hint')}</p>
      {failed && <p role="alert">{t('calendar.failed')}</p>}
    </div>
  );
}
