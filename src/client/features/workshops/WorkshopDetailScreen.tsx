/**
 * One workshop: dates, mode, venue, organisers, the WCO tools it covers,
 * the agenda day by day and the materials. Everything comes from IndexedDB,
 * so a deep link to this screen works on a phone that is offline. Times are
 * the workshop's own wall-clock times; when the phone is in another zone its
 * time is added. During the workshop the sessions on now and next are
 * labelled and linked from the top of the agenda; each session links to its
 * materials, the tools it covers, its join link when online, and its own
 * calendar entry.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useId, useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { Badge, ContentFallback, Loading, SampleBadge, Screen } from '../../ui/screen';
import { FollowUpPanel } from '../followup/FollowUpPanel';
import {
  deviceTimeZone,
  formatBytes,
  formatDateRange,
  formatDay,
  formatLanguageName,
  formatList,
  formatTimeRange,
  formatZoneName,
  isolate,
  zonedInstant,
} from '../../i18n/format';
import {
  getWorkshop,
  listMaterials,
  listSessions,
  localizedWorkshop,
  type MaterialRow,
  type SessionRow,
  type WorkshopRow,
} from './queries';
import { AgendaChangesNotice, SessionChangeBadge, useAgendaChanges } from '../agenda-changes/AgendaChanges';
import type { SessionChange } from '../agenda-changes/changes';
import { CalendarExport, SessionCalendarButton } from '../agenda-changes/CalendarExport';
import { MaterialsPanel } from '../materials/MaterialsPanel';
import { listTools, localizedTool, type ToolRow } from '../tools/queries';
import type { AgendaNow } from '../../../shared/domain/agenda-now';
import { joinLinkOf, materialsBySession, toolsNamed, workshopToolSlugs } from './session-links';
import { phoneTime } from './session-time';
import { useAgendaNow } from './use-agenda-now';
import './agenda.css';

export default function WorkshopDetailScreen({ id }: { id: string }) {
  const { t } = useTranslation();
  const workshop = useLiveQuery(() => getWorkshop(id), [id]);
  const sessions = useLiveQuery(() => listSessions(id), [id]);
  const materials = useLiveQuery(() => listMaterials(id), [id]);
  const tools = useLiveQuery(listTools, []);

  if (workshop === undefined) {
    return (
      <Screen title={t('workshop.title')}>
        <Loading />
      </Screen>
    );
  }
  if (workshop === null) {
    return (
      <Screen title={t('workshop.notFoundTitle')}>
        <p>{t('workshop.notFound')}</p>
        <p>
          <Link href="/">{t('workshop.backToList')}</Link>
        </p>
      </Screen>
    );
  }
  return <WorkshopView workshop={workshop} sessions={sessions} materials={materials} tools={tools} />;
}

function WorkshopView({
  workshop: w,
  sessions,
  materials,
  tools,
}: {
  workshop: WorkshopRow;
  sessions: SessionRow[] | undefined;
  materials: MaterialRow[] | undefined;
  tools: ToolRow[] | undefined;
}) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const { title, summary, titleLang, summaryLang, fallback } = localizedWorkshop(w, lng);
  const zoneName = formatZoneName(lng, w.timeZone, zonedInstant(w.startDate, '12:00', w.timeZone));
  const organisers = formatList(lng, w.organisers);
  const hasSample = (sessions ?? []).some((s) => s.sample) || (materials ?? []).some((m) => m.sample);
  const toolsBySlug = useMemo(() => new Map((tools ?? []).map((tool) => [tool.slug, tool])), [tools]);
  const covered = toolsNamed(workshopToolSlugs(w, sessions ?? []), toolsBySlug);

  return (
    <Screen
      title={title}
      titleLang={titleLang}
      back={
        <p className="back-link">
          <Link href="/">{t('workshop.backToList')}</Link>
        </p>
      }
    >
      {fallback && <ContentFallback />}
      {hasSample && (
        <p className="notice notice-sample">
          <SampleBadge /> {t('sample.notice')}
        </p>
      )}
      {summary && (
        <p className="lead" dir="auto" lang={summaryLang}>
          {summary}
        </p>
      )}
      <dl className="facts">
        <div>
          <dt>{t('workshop.dates')}</dt>
          <dd>
            {formatDateRange(lng, w.startDate, w.endDate, w.timeZone)}
            <br />
            <span className="muted">{t('workshop.timeZone', { zone: zoneName })}</span>
          </dd>
        </div>
        <div>
          <dt>{t('workshop.modeLabel')}</dt>
          <dd>{t(`workshop.mode.${w.mode}`)}</dd>
        </div>
        <div>
          <dt>{t('workshop.venue')}</dt>
          <dd>
            {w.venue
              ? [w.venue.name, w.venue.city, w.venue.country].filter((part) => part && part.length > 0).join(', ')
              : t('workshop.online')}
          </dd>
        </div>
        <div>
          <dt>{t('workshop.organisers')}</dt>
          <dd>{organisers}</dd>
        </div>
        {w.sponsor && (
          <div>
            <dt>{t('workshop.sponsor')}</dt>
            <dd>{w.sponsor}</dd>
          </div>
        )}
        <div>
          <dt>{t('workshop.topic')}</dt>
          <dd>
            {w.topic}
            {t('common.separator')}
            {t(`workshop.kind.${w.kind}`)}
          </dd>
        </div>
        {covered.length > 0 && (
          <div>
            <dt>{t('workshop.tools')}</dt>
            <dd>
              <ToolLinks tools={covered} />
            </dd>
          </div>
        )}
      </dl>

      <FollowUpPanel workshop={w} />
      <Agenda workshop={w} sessions={sessions} materials={materials} toolsBySlug={toolsBySlug} />
      <MaterialsPanel workshopId={w.id} materials={materials} fallback={<Materials materials={materials} />} />
    </Screen>
  );
}

function Agenda({
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

function SessionItem({
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

function ToolItems({ tools }: { tools: ToolRow[] }) {
  const { i18n } = useTranslation();
  return tools.map((tool) => {
    const { title, titleLang } = localizedTool(tool, i18n.language);
    return (
      <li key={tool.id} dir="auto" lang={titleLang}>
        <Link href={`/tools/${tool.slug}`}>{title}</Link>
      </li>
    );
  });
}

/** The WCO tools a workshop covers, as links to their summaries. */
function ToolLinks({ tools }: { tools: ToolRow[] }) {
  return (
    <ul className="tool-links">
      <ToolItems tools={tools} />
    </ul>
  );
}

function Materials({ materials }: { materials: MaterialRow[] | undefined }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  return (
    <section aria-labelledby="materials-heading">
      <h2 id="materials-heading">{t('materials.title')}</h2>
      {materials === undefined ? (
        <Loading />
      ) : materials.length === 0 ? (
        <p className="muted">{t('materials.empty')}</p>
      ) : (
        <ul className="material-list">
          {materials.map((m) => (
            <li key={m.id} className="material">
              <p className="material-title" dir="auto">
                {m.title}
                {m.sample && <SampleBadge />}
                {m.audience === 'participants' && <Badge>{t('materials.participantsOnly')}</Badge>}
              </p>
              <p className="muted">
                {t('materials.meta', {
                  size: formatBytes(lng, m.byteSize),
                  language: formatLanguageName(lng, m.language),
                  type: mediaTypeLabel(m.mediaType),
                })}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
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

/** "PDF", "PPTX"…: what a participant recognises, not a MIME type. */
function mediaTypeLabel(mediaType: string): string {
  const known: Record<string, string> = {
    'application/pdf': 'PDF',
    'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'PPTX',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'DOCX',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'XLSX',
    'application/zip': 'ZIP',
  };
  return known[mediaType] ?? (mediaType.split('/')[1] ?? mediaType).toUpperCase();
}
