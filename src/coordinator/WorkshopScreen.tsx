/**
 * One workshop in the coordinator workspace, in five parts reached by the
 * tabs: its details, agenda, materials, roster (with enrolment codes) and
 * the survey replies. All parts read one API view, so a change in one part
 * shows in the others at once.
 */
import { lazy, Suspense, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { Badge, Loading, Screen } from '../client/ui/screen';
import { apiRequest, asProblem } from './api';
import { problemText, StatusLine, useCoordinatorT, ViewState, type Status } from './parts';
import { invalidateViews, useApi } from './use-api';
import { workshopPath, type WorkshopDetail } from './types';
import { WorkshopForm } from './WorkshopForm';
import { AgendaTab } from './AgendaTab';
import { RosterTab } from './RosterTab';

const MaterialsTab = lazy(() => import('./MaterialsTab'));
const RepliesTab = lazy(() => import('./RepliesTab'));

const TABS = ['details', 'agenda', 'materials', 'roster', 'replies'] as const;
type Tab = (typeof TABS)[number];
const isTab = (value: string): value is Tab => (TABS as readonly string[]).includes(value);

export default function WorkshopScreen({ id, tab }: { id: string; tab: string }) {
  const { t } = useCoordinatorT();
  const view = useApi<WorkshopDetail>(workshopPath(id));
  const title = view.data?.workshop.title ?? t('workshop.title');
  return (
    <Screen
      title={title}
      back={
        <p className="back-link">
          <Link href="/">{t('workshops.back')}</Link>
        </p>
      }
    >
      {view.data && (
        <p className="card-badges">
          {view.data.workshop.status === 'draft' ? (
            <Badge tone="warn">{t('status.draft')}</Badge>
          ) : (
            <Badge tone="ok">{t('status.published')}</Badge>
          )}
        </p>
      )}
      <nav aria-label={t('workshop.parts')} className="c-tabs no-print">
        <ul>
          {TABS.map((name) => (
            <li key={name}>
              <Link
                href={name === 'details' ? `/workshops/${id}` : `/workshops/${id}/${name}`}
                aria-current={tab === name ? 'page' : undefined}
              >
                {t(`workshop.tab.${name}`)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <ViewState view={view}>
        {(data) => (
          <Suspense fallback={<Loading />}>
            {!isTab(tab) ? (
              <p>{t('notFound.title')}</p>
            ) : tab === 'details' ? (
              <DetailsTab detail={data} />
            ) : tab === 'agenda' ? (
              <AgendaTab detail={data} />
            ) : tab === 'materials' ? (
              <MaterialsTab detail={data} />
            ) : tab === 'roster' ? (
              <RosterTab detail={data} />
            ) : (
              <RepliesTab detail={data} />
            )}
          </Suspense>
        )}
      </ViewState>
    </Screen>
  );
}

function DetailsTab({ detail }: { detail: WorkshopDetail }) {
  const { t } = useCoordinatorT();
  const [, navigate] = useLocation();
  const [status, setStatus] = useState<Status>(null);
  const withdraw = async () => {
    if (!window.confirm(t('workshop.withdrawConfirm', { title: detail.workshop.title }))) return;
    try {
      await apiRequest('DELETE', `/workshops/${detail.workshop.id}`);
      invalidateViews();
      navigate('/');
    } catch (err) {
      setStatus({ tone: 'error', text: problemText(t, asProblem(err)) });
    }
  };
  return (
    <section aria-labelledby="c-details-heading">
      <h2 id="c-details-heading">{t('workshop.tab.details')}</h2>
      <WorkshopForm id={detail.workshop.id} workshop={detail.workshop} onSaved={() => undefined} />
      <section aria-labelledby="c-withdraw-heading" className="c-danger-zone">
        <h3 id="c-withdraw-heading">{t('workshop.withdrawTitle')}</h3>
        <p className="field-hint">{t('workshop.withdrawHint')}</p>
        <button type="button" className="button button-secondary c-danger" onClick={() => void withdraw()}>
          {t('workshop.withdraw')}
        </button>
        <StatusLine status={status} />
      </section>
    </section>
  );
}
