/**
 * One session of the agenda: its time (and the phone's, in another zone),
 * title and state, speakers and room, links to its materials and the tools
 * it covers, its join link when online, and its own calendar entry.
 */
import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { Badge, SampleBadge } from '../../ui/screen';
import { formatList, formatTimeRange, isolate, zonedInstant } from '../../i18n/format';
import type { MaterialRow, SessionRow, WorkshopRow } from '../../content/workshops';
import { joinLinkOf } from '../../content/session-links';
import { SessionChangeBadge } from '../../features/agenda-changes/AgendaChanges';
import type { SessionChange } from '../../features/agenda-changes/changes';
import { SessionCalendarButton } from '../../features/agenda-changes/CalendarExport';
import type { ToolRow } from '../../features/tools/queries';
import { ToolItems } from '../../features/tools/ToolLinks';
import { phoneTime } from './session-time';

export function SessionItem({
  workshop: w,
  session: s,
  phoneZone,
  moment,
  change,
  materials,
  tools,
}: {
  workshop: WorkshopRow;
  session: SessionRow;
  phoneZone: string;
  moment: 'now' | 'next' | null;
  change: SessionChange | undefined;
  materials: MaterialRow[];
  tools: ToolRow[];
}) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const start = zonedInstant(s.date, s.start, w.timeZone);
  const end = zonedInstant(s.date, s.end, w.timeZone);
  const onPhone = phoneTime(lng, s, w.timeZone, phoneZone);
  const cancelled = s.status === 'cancelled';
  const joinUrl = cancelled ? null : joinLinkOf(w, s);
  // Buttons are named "Join online" / "Add to calendar" plus this title, read from the page rather than repeated in it.
  const titleId = `agenda-title-${s.id}`;
  const className = ['session', cancelled && 'session-cancelled', moment && `session-${moment}`]
    .filter(Boolean)
    .join(' ');
  return (
    <li id={`session-${s.id}`} className={className}>
      <p className="session-time">
        <time dateTime={start.toISOString()}>{formatTimeRange(lng, start, end, w.timeZone)}</time>
        {onPhone && <span className="muted session-local">{t('agenda.yourTime', { time: onPhone })}</span>}
      </p>
      <p className="session-title" dir="auto">
        <span id={titleId}>{cancelled ? <del>{s.title}</del> : s.title}</span>
        {moment && <Badge tone={moment === 'now' ? 'ok' : 'neutral'}>{t(`agenda.${moment}`)}</Badge>}
        {cancelled && <Badge tone="warn">{t('agenda.cancelled')}</Badge>}
        {s.sample && <SampleBadge />}
        <SessionChangeBadge change={change} timeZone={w.timeZone} />
      </p>
      {s.speakers.length > 0 && (
        <p className="muted">
          {t('agenda.speakers', {
            // Each name keeps its own direction inside a Persian sentence.
            names: formatList(lng, s.speakers.map(isolate)),
          })}
        </p>
      )}
      {s.room && <p className="muted">{t('agenda.room', { room: isolate(s.room) })}</p>}
      {s.description && <p dir="auto">{s.description}</p>}
      {materials.length > 0 && (
        <LinkList label={t('agenda.materials')}>
          {materials.map((m) => (
            <li key={m.id} dir="auto">
              <Link href={`/materials/${m.id}`}>{m.title}</Link>
            </li>
          ))}
        </LinkList>
      )}
      {tools.length > 0 && (
        <LinkList label={t('agenda.tools')}>
          <ToolItems tools={tools} />
        </LinkList>
      )}
      {!cancelled && (
        <div className="session-actions">
          {joinUrl && (
            <p className="session-join">
              <a
                className="button"
                id={`${titleId}-join`}
                aria-labelledby={`${titleId}-join ${titleId}`}
                aria-describedby={`${titleId}-online`}
                href={joinUrl}
                target="_blank"
                rel="noopener noreferrer"
              >
                {t('agenda.join')}
              </a>
              <span className="muted" id={`${titleId}-online`}>
                {' '}
                {t('agenda.joinNeedsConnection')}
              </span>
            </p>
          )}
          <SessionCalendarButton workshop={w} session={s} titleId={titleId} />
        </div>
      )}
    </li>
  );
}

/** A short labelled list of links under a session ("Materials", "WCO tools"). */
function LinkList({ label, children }: { label: string; children: ReactNode }) {
  const id = useId();
  return (
    <div className="session-links">
      <span className="session-links-label" id={id}>
        {label}
      </span>
      <ul aria-labelledby={id}>{children}</ul>
    </div>
  );
}
