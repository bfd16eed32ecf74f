/**
 * "Add to calendar": saves the workshop's agenda, or one session of it, as
 * an .ics file that the phone's calendar imports. The file is built on the
 * device (the ics library loads only on this tap), so it works offline too.
 */
import { Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Stored } from '../../../device/db/database';
import { formatList } from '../../i18n/format';

type WorkshopRow = Stored<'workshops'>;
type SessionRow = Stored<'agendaSessions'>;

export function CalendarExport(props: { workshop: WorkshopRow; sessions: SessionRow[] | undefined }) {
  if (!props.sessions || props.sessions.length === 0) return null;
  return (
    <Suspense fallback={null}>
      <ExportButton workshop={props.workshop} sessions={props.sessions} />
    </Suspense>
  );
}

/** One session's "Add to calendar", beside it on the agenda; `titleId` names the element showing its title. */
export function SessionCalendarButton(props: { workshop: WorkshopRow; session: SessionRow; titleId: string }) {
  return (
    <Suspense fallback={null}>
      <SessionButton {...props} />
    </Suspense>
  );
}

/** Builds the file and hands it to the browser as a download; false when it could not be made. */
function useCalendarDownload() {
  const { t, i18n } = useTranslation('agenda-changes');
  return async (workshop: WorkshopRow, sessions: SessionRow[] | SessionRow): Promise<boolean> => {
    try {
      const { agendaCalendar, calendarFileName, sessionCalendar } = await import('./calendar');
      const text = {
        speakers: (names: string[]) => t('calendar.speakers', { names: formatList(i18n.language, names) }),
      };
      const single = !Array.isArray(sessions);
      const ics = single ? sessionCalendar(workshop, sessions, text) : agendaCalendar(workshop, sessions, text);
      const url = URL.createObjectURL(new Blob([ics], { type: 'text/calendar;charset=utf-8' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = single ? calendarFileName(sessions.title, 'session') : calendarFileName(workshop.title);
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      return true;
    } catch {
      return false;
    }
  };
}

function ExportButton({ workshop, sessions }: { workshop: WorkshopRow; sessions: SessionRow[] }) {
  const { t } = useTranslation('agenda-changes');
  const download = useCalendarDownload();
  const [failed, setFailed] = useState(false);

  return (
    <div className="calendar-export">
      <button
        type="button"
        className="button button-secondary"
        onClick={() => void download(workshop, sessions).then((ok) => setFailed(!ok))}
      >
        {t('calendar.export')}
      </button>
      <p className="muted">{t('calendar.hint')}</p>
      {failed && <p role="alert">{t('calendar.failed')}</p>}
    </div>
  );
}

function SessionButton({
  workshop,
  session,
  titleId,
}: {
  workshop: WorkshopRow;
  session: SessionRow;
  titleId: string;
}) {
  const { t } = useTranslation(['agenda-changes', 'common']);
  const download = useCalendarDownload();
  const [failed, setFailed] = useState(false);

  return (
    <>
      <button
        type="button"
        className="button button-secondary"
        id={`${titleId}-calendar`}
        aria-labelledby={`${titleId}-calendar ${titleId}`}
        onClick={() => void download(workshop, session).then((ok) => setFailed(!ok))}
      >
        {t('common:agenda.addToCalendar')}
      </button>
      {failed && <span role="alert">{t('calendar.failed')}</span>}
    </>
  );
}
