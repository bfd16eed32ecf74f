/**
 * A workshop's agenda day by day. Times are the workshop's own wall-clock
 * times; when the phone is in another zone its time is added. During the
 * workshop the sessions on now and next are labelled and linked from the
 * top; changes since the participant last looked are flagged
 * (agenda-changes), and the whole agenda can go to the phone's calendar.
 */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Badge, Loading } from '../../ui/screen';
import { deviceTimeZone, formatDay, formatTimeRange, zonedInstant } from '../../i18n/format';
import type { MaterialRow, SessionRow, WorkshopRow } from '../../content/workshops';
import { materialsBySession, toolsNamed } from '../../content/session-links';
import { AgendaChangesNotice, useAgendaChanges } from '../../features/agenda-changes/AgendaChanges';
import { CalendarExport } from '../../features/agenda-changes/CalendarExport';
import type { ToolRow } from '../../features/tools/queries';
import type { AgendaNow } from '../../../shared/domain/agenda-now';
import { SessionItem } from './SessionItem';
import { useAgendaNow } from './use-agenda-now';

export function Agenda({
  workshop: w,
  sessions,
  materials,
  toolsBySlug,
}: {
  workshop: WorkshopRow;
  sessions: SessionRow[] | undefined;
  materials: MaterialRow[] | undefined;
  toolsBySlug: ReadonlyMap<string, ToolRow>;
}) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const days = groupByDay(sessions ?? []);
  const changes = useAgendaChanges(w.id, sessions);
  const moment = useAgendaNow(sessions, w.timeZone);
  const bySession = useMemo(() => materialsBySession(materials ?? []), [materials]);
  const here = deviceTimeZone();
  const onNow = new Set(moment.now.map((s) => s.id));
  const onNext = new Set(moment.next.map((s) => s.id));

  return (
    <section aria-labelledby="agenda-heading">
      <h2 id="agenda-heading">{t('agenda.title')}</h2>
      <AgendaChangesNotice workshopId={w.id} timeZone={w.timeZone} changes={changes} />
      <NowAndNext moment={moment} timeZone={w.timeZone} />
      <CalendarExport workshop={w} sessions={sessions} />
      {sessions === undefined ? (
        <Loading />
      ) : days.length === 0 ? (
        <p className="muted">{t('agenda.empty')}</p>
      ) : (
        days.map(([date, daySessions]) => (
          <section key={date} aria-labelledby={`day-${date}`} className="agenda-day">
            <h3 id={`day-${date}`}>{formatDay(lng, date, w.timeZone)}</h3>
            <ol className="agenda-list">
              {daySessions.map((s) => (
                <SessionItem
                  key={s.id}
                  workshop={w}
                  session={s}
                  phoneZone={here}
                  moment={onNow.has(s.id) ? 'now' : onNext.has(s.id) ? 'next' : null}
                  change={changes.bySession.get(s.id)}
                  materials={bySession.get(s.id) ?? []}
                  tools={toolsNamed(s.toolSlugs, toolsBySlug)}
                />
              ))}
            </ol>
          </section>
        ))
      )}
    </section>
  );
}

/** "Now" and "Next" at the top of the agenda during the workshop, each a link down to its session. */
function NowAndNext({ moment, timeZone }: { moment: AgendaNow<SessionRow>; timeZone: string }) {
  const { t, i18n } = useTranslation();
  if (moment.now.length === 0 && moment.next.length === 0) return null;
  const when = (s: SessionRow) =>
    `${formatDay(i18n.language, s.date, timeZone)}, ${formatTimeRange(
      i18n.language,
      zonedInstant(s.date, s.start, timeZone),
      zonedInstant(s.date, s.end, timeZone),
      timeZone,
    )}`;
  const item = (s: SessionRow, label: 'now' | 'next') => (
    <li key={`${label}-${s.id}`}>
      <Badge tone={label === 'now' ? 'ok' : 'neutral'}>{t(`agenda.${label}`)}</Badge>{' '}
      <a href={`#session-${s.id}`} dir="auto">
        {s.title}
      </a>{' '}
      <span className="muted">({when(s)})</span>
    </li>
  );
  return (
    <ul className="notice agenda-now" aria-label={t('agenda.nowAndNext')}>
      {moment.now.map((s) => item(s, 'now'))}
      {moment.next.map((s) => item(s, 'next'))}
    </ul>
  );
}

function groupByDay(sessions: SessionRow[]): [string, SessionRow[]][] {
  const days = new Map<string, SessionRow[]>();
  for (const s of sessions) {
    const day = days.get(s.date);
    if (day) day.push(s);
    else days.set(s.date, [s]);
  }
  return [...days.entries()];
}
