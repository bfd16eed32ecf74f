/**
 * The first screen: workshops on this phone, upcoming first, then recent.
 * It is in the entry chunk (every other screen loads lazily), so it must stay
 * light and must render from IndexedDB alone, online or not.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { Badge, ContentFallback, Loading, Screen } from '../../ui/screen';
import { formatDateRange, todayIn } from '../../i18n/format';
import {
  enrolledWorkshopIds,
  listPublishedWorkshops,
  localizedWorkshop,
  type WorkshopRow,
} from '../../content/workshops';

export default function WorkshopListScreen() {
  const { t, i18n } = useTranslation(['workshops', 'common']);
  const workshops = useLiveQuery(listPublishedWorkshops, []);
  const mine = useLiveQuery(enrolledWorkshopIds, []);

  if (workshops === undefined) {
    return (
      <Screen title={t('workshops.title')}>
        <Loading />
      </Screen>
    );
  }

  // "Upcoming" includes a workshop still running today in its own zone.
  const upcoming = workshops.filter((w) => w.endDate >= todayIn(w.timeZone));
  const past = workshops.filter((w) => w.endDate < todayIn(w.timeZone)).reverse();
  const mineSet = new Set(mine ?? []);
  const fallback = workshops.some((w) => localizedWorkshop(w, i18n.language).titleLang !== undefined);

  return (
    <Screen title={t('workshops.title')}>
      {workshops.length === 0 ? (
        <div className="empty">
          <p>{t('workshops.empty')}</p>
          <p>
            <Link href="/enrol">{t('workshops.emptyEnrol')}</Link>
          </p>
        </div>
      ) : (
        <>
          {fallback && <ContentFallback some />}
          <WorkshopSection
            id="upcoming"
            title={t('workshops.upcoming')}
            rows={upcoming}
            mine={mineSet}
            empty={t('workshops.noUpcoming')}
          />
          <WorkshopSection id="recent" title={t('workshops.recent')} rows={past} mine={mineSet} />
        </>
      )}
    </Screen>
  );
}

function WorkshopSection({
  id,
  title,
  rows,
  mine,
  empty,
}: {
  id: string;
  title: string;
  rows: WorkshopRow[];
  mine: Set<string>;
  empty?: string;
}) {
  if (rows.length === 0 && !empty) return null;
  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{title}</h2>
      {rows.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ul className="card-list">
          {rows.map((w) => (
            <WorkshopCard key={w.id} workshop={w} mine={mine.has(w.id)} />
          ))}
        </ul>
      )}
    </section>
  );
}

function WorkshopCard({ workshop: w, mine }: { workshop: WorkshopRow; mine: boolean }) {
  const { t, i18n } = useTranslation(['workshops', 'common']);
  const { title, titleLang } = localizedWorkshop(w, i18n.language);
  const place = w.venue ? `${w.venue.city}, ${w.venue.country}` : t('workshop.online');
  return (
    <li className="card">
      <h3 className="card-title" dir="auto" lang={titleLang}>
        <Link href={`/workshops/${w.id}`} className="card-link">
          {title}
        </Link>
      </h3>
      <p className="card-meta">
        <span>{formatDateRange(i18n.language, w.startDate, w.endDate, w.timeZone)}</span>
        <span aria-hidden="true">{t('common.separator')}</span>
        <span>{place}</span>
      </p>
      <p className="card-badges">
        <Badge>{t(`workshop.mode.${w.mode}`)}</Badge>
        <Badge>{t(`workshop.kind.${w.kind}`)}</Badge>
        {mine && <Badge tone="ok">{t('workshops.yours')}</Badge>}
      </p>
    </li>
  );
}
