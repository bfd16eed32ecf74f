/**
 * One tool summary, in the participant's language when a translation
 * exists; its Markdown body is rendered safely by SafeMarkdown. "Covered
 * in" leads back to the workshops and sessions on the phone that dealt
 * with the tool, so a participant can find the slides that went with it.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { ContentFallback, Loading, Screen } from '../../ui/screen';
import { SafeMarkdown } from '../../ui/SafeMarkdown';
import { formatDateRange, formatDay, formatTimeRange, zonedInstant } from '../../i18n/format';
import { localizedWorkshop, type SessionRow, type WorkshopRow } from '../../content/workshops';
import { getToolBySlug, localizedTool, toolCoverage } from './queries';
import './tools.css';

export default function ToolDetailScreen({ slug }: { slug: string }) {
  const { t, i18n } = useTranslation(['tools', 'common']);
  const tool = useLiveQuery(() => getToolBySlug(slug), [slug]);

  if (tool === undefined) {
    return (
      <Screen title={t('tools.title')}>
        <Loading />
      </Screen>
    );
  }
  if (tool === null) {
    return (
      <Screen title={t('tools.notFoundTitle')}>
        <p>{t('tools.notFound')}</p>
        <p>
          <Link href="/tools">{t('tools.backToList')}</Link>
        </p>
      </Screen>
    );
  }
  const { title, body, titleLang, bodyLang, fallback } = localizedTool(tool, i18n.language);
  return (
    <Screen
      title={title}
      titleLang={titleLang}
      back={
        <p className="back-link">
          <Link href="/tools">{t('tools.backToList')}</Link>
        </p>
      }
    >
      {fallback && <ContentFallback />}
      <div className="prose" dir="auto" lang={bodyLang}>
        <SafeMarkdown>{body}</SafeMarkdown>
      </div>
      <p className="source-link">
        <a href={tool.officialUrl} target="_blank" rel="noopener noreferrer" className="button button-secondary">
          {t('tools.officialSource')}
        </a>
        <span className="muted"> {t('tools.needsConnection')}</span>
      </p>
      <CoveredIn slug={tool.slug} />
    </Screen>
  );
}

function CoveredIn({ slug }: { slug: string }) {
  const { t, i18n } = useTranslation(['tools', 'common']);
  const coverage = useLiveQuery(() => toolCoverage(slug), [slug]);
  return (
    <section aria-labelledby="covered-in-heading">
      <h2 id="covered-in-heading">{t('tools.coveredIn')}</h2>
      {coverage === undefined ? (
        <Loading />
      ) : coverage.length === 0 ? (
        <p className="muted">{t('tools.coveredInNone')}</p>
      ) : (
        <ul className="covered-in">
          {coverage.map(({ workshop, sessions }) => (
            <CoveredWorkshop key={workshop.id} workshop={workshop} sessions={sessions} language={i18n.language} />
          ))}
        </ul>
      )}
    </section>
  );
}

function CoveredWorkshop({
  workshop: w,
  sessions,
  language,
}: {
  workshop: WorkshopRow;
  sessions: SessionRow[];
  language: string;
}) {
  const { title, titleLang } = localizedWorkshop(w, language);
  return (
    <li>
      <Link href={`/workshops/${w.id}`} dir="auto" lang={titleLang}>
        {title}
      </Link>{' '}
      <span className="muted">({formatDateRange(language, w.startDate, w.endDate, w.timeZone)})</span>
      {sessions.length > 0 && (
        <ul>
          {sessions.map((s) => (
            <li key={s.id}>
              <Link href={`/workshops/${w.id}#session-${s.id}`} dir="auto">
                {s.title}
              </Link>{' '}
              <span className="muted">
                (
                {`${formatDay(language, s.date, w.timeZone)}, ${formatTimeRange(
                  language,
                  zonedInstant(s.date, s.start, w.timeZone),
                  zonedInstant(s.date, s.end, w.timeZone),
                  w.timeZone,
                )}`}
                )
              </span>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}
