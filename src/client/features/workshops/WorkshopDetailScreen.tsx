/**
 * One workshop: dates, mode, venue, organisers, the agenda day by day and
 * the materials. Everything comes from IndexedDB, so a deep link to this
 * screen works on a phone that is offline. Times are the workshop's own
 * wall-clock times; when the phone is in another zone its time is added.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { Badge, ContentFallback, Loading, SampleBadge, Screen } from '../../app/ui';
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
import { CalendarExport } from '../agenda-changes/CalendarExport';
import { MaterialsPanel } from '../materials/MaterialsPanel';

export default function WorkshopDetailScreen({ id }: { id: string }) {
  const { t } = useTranslation();
  const workshop = useLiveQuery(() => getWorkshop(id), [id]);
  const sessions = useLiveQuery(() => listSessions(id), [id]);
  const materials = useLiveQuery(() => listMaterials(id), [id]);

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
  return <WorkshopView workshop={workshop} sessions={sessions} materials={materials} />;
}

function WorkshopView({
  workshop: w,
  sessions,
  materials,
}: {
  workshop: WorkshopRow;
  sessions: SessionRow[] | undefined;
  materials: MaterialRow[] | undefined;
}) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const { title, summary, titleLang, summaryLang, fallback } = localizedWorkshop(w, lng);
  const zoneName = formatZoneName(lng, w.timeZone, zonedInstant(w.startDate, '12:00', w.timeZone));
  const organisers = formatList(lng, w.organisers);
  const hasSample = (sessions ?? []).some((s) => s.sample) || (materials ?? []).some((m) => m.sample);

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
      </dl>

      <FollowUpPanel workshop={w} />
      <Agenda workshop={w} sessions={sessions} />
      <MaterialsPanel workshopId={w.id} materials={materials} fallback={<Materials materials={materials} />} />
    </Screen>
  );
}

function Agenda({ workshop: w, sessions }: { workshop: WorkshopRow; sessions: SessionRow[] | undefined }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const here = deviceTimeZone();
  const days = groupByDay(sessions ?? []);
  const changes = useAgendaChanges(w.id, sessions);

  return (
    <section aria-labelledby="agenda-heading">
      <h2 id="agenda-heading">{t('agenda.title')}</h2>
      <AgendaChangesNotice workshopId={w.id} timeZone={w.timeZone} changes={changes} />
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
              {daySessions.map((s) => {
                const start = zonedInstant(s.date, s.start, w.timeZone);
                const end = zonedInstant(s.date, s.end, w.timeZone);
                const cancelled = s.status === 'cancelled';
                return (
                  <li key={s.id} id={`session-${s.id}`} className={cancelled ? 'session session-cancelled' : 'session'}>
                    <p className="session-time">
                      <time dateTime={start.toISOString()}>{formatTimeRange(lng, start, end, w.timeZone)}</time>
                      {here !== w.timeZone && (
                        <span className="muted session-local">
                          {t('agenda.yourTime', { time: formatTimeRange(lng, start, end, here) })}
                        </span>
                      )}
                    </p>
                    <p className="session-title" dir="auto">
                      {cancelled ? <del>{s.title}</del> : s.title}
                      {cancelled && <Badge tone="warn">{t('agenda.cancelled')}</Badge>}
                      {s.sample && <SampleBadge />}
                      <SessionChangeBadge change={changes.bySession.get(s.id)} timeZone={w.timeZone} />
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
                  </li>
                );
              })}
            </ol>
          </section>
        ))
      )}
    </section>
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
