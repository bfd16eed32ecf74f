/**
 * Every workshop, drafts included, grouped by the office's fiscal year
 * (July to June, as the survey report counts them), newest first. Drafts
 * stay on the server; publishing sends a workshop to every phone.
 */
import { useState } from 'react';
import { Link } from 'wouter';
import { Badge, Screen } from '../../client/ui/screen';
import { formatDateRange } from '../../client/i18n/format';
import { fiscalYearOf } from '../../shared/domain/survey-report';
import { useApi } from '../core/use-api';
import { useCoordinatorT } from '../core/i18n';
import { ViewState } from '../ui/ViewState';
import type { WorkshopList, WorkshopListItem } from '../core/types';

export default function WorkshopsScreen() {
  const { t } = useCoordinatorT();
  const view = useApi<WorkshopList>('/coordinator/workshops');
  const [query, setQuery] = useState('');
  return (
    <Screen title={t('workshops.title')}>
      <p className="c-actions">
        <Link href="/workshops/new" className="button">
          {t('workshops.new')}
        </Link>
      </p>
      <ViewState view={view}>
        {(data) => {
          const q = query.trim().toLowerCase();
          const shown = q
            ? data.workshops.filter(
                (w) => w.workshop.title.toLowerCase().includes(q) || w.workshop.topic.toLowerCase().includes(q),
              )
            : data.workshops;
          const years = new Map<string, WorkshopListItem[]>();
          for (const item of shown) {
            const fy = fiscalYearOf(item.workshop.startDate);
            years.set(fy, [...(years.get(fy) ?? []), item]);
          }
          return (
            <>
              <div className="field c-search">
                <label htmlFor="c-workshop-search">{t('workshops.search')}</label>
                <input
                  id="c-workshop-search"
                  className="input"
                  type="search"
                  value={query}
                  onChange={(e) => setQuery(e.target.value)}
                />
              </div>
              <p className="muted" role="status">
                {t('workshops.count', { count: shown.length })}
              </p>
              {[...years.entries()].map(([fy, items]) => (
                <section key={fy} aria-labelledby={`fy-${fy.replace('/', '-')}`}>
                  <h2 id={`fy-${fy.replace('/', '-')}`}>{t('workshops.fiscalYear', { year: fy })}</h2>
                  <ul className="card-list">
                    {items.map((item) => (
                      <WorkshopCard key={item.workshop.id} item={item} />
                    ))}
                  </ul>
                </section>
              ))}
            </>
          );
        }}
      </ViewState>
    </Screen>
  );
}

function WorkshopCard({ item }: { item: WorkshopListItem }) {
  const { t, i18n } = useCoordinatorT();
  const w = item.workshop;
  return (
    <li className="card">
      <h3 className="card-title" dir="auto">
        <Link href={`/workshops/${w.id}`} className="card-link">
          {w.title}
        </Link>
      </h3>
      <p className="card-meta">
        {formatDateRange(i18n.language, w.startDate, w.endDate, w.timeZone)}
        <span aria-hidden="true"> · </span>
        {t(`kind.${w.kind}`)}
        <span aria-hidden="true"> · </span>
        {t(`mode.${w.mode}`)}
      </p>
      <p className="card-badges">
        {w.status === 'draft' ? (
          <Badge tone="warn">{t('status.draft')}</Badge>
        ) : (
          <Badge tone="ok">{t('status.published')}</Badge>
        )}
        <Badge>{t('workshops.sessions', { count: item.counts.sessions })}</Badge>
        <Badge>{t('workshops.materials', { count: item.counts.materials })}</Badge>
        <Badge>{t('workshops.roster', { count: item.counts.roster })}</Badge>
      </p>
    </li>
  );
}
