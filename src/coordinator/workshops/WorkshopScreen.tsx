/**
 * One workshop in the coordinator workspace, in six parts reached by the
 * tabs: its details, agenda, materials, roster (with enrolment codes), the
 * survey replies and the follow-up messages. All parts read one API view, so a change in one part
 * shows in the others at once.
 */
import { lazy, Suspense } from 'react';
import { Link } from 'wouter';
import { Badge, Loading, Screen } from '../../client/ui/screen';
import { AgendaTab } from '../agenda/AgendaTab';
import { useCoordinatorT } from '../core/i18n';
import { workshopPath, type WorkshopDetail } from '../core/types';
import { useApi } from '../core/use-api';
import { RosterTab } from '../roster/RosterTab';
import { ViewState } from '../ui/ViewState';
import { DetailsTab } from './DetailsTab';

const MaterialsTab = lazy(() => import('../materials/MaterialsTab'));
const RepliesTab = lazy(() => import('../replies/RepliesTab'));
const MessagesTab = lazy(() => import('../messages/MessagesTab'));

const TABS = ['details', 'agenda', 'materials', 'roster', 'replies', 'messages'] as const;
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
            ) : tab === 'replies' ? (
              <RepliesTab detail={data} />
            ) : (
              <MessagesTab detail={data} />
            )}
          </Suspense>
        )}
      </ViewState>
    </Screen>
  );
}
