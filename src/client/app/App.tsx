/**
 * The app shell and routes. Only the workshop list is in the entry chunk;
 * every other screen is a lazy chunk (all precached by the service worker,
 * so lazy never means "needs the network").
 */
import { lazy, Suspense, useEffect, useLayoutEffect, useRef, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Route, Switch, useLocation } from 'wouter';
import WorkshopListScreen from '../features/workshops/WorkshopListScreen';
import { Header } from './Header';
import { NavBar } from './NavBar';
import { UpdateBanner } from './UpdateBanner';
import { Loading, markNavigated, Screen } from '../ui/screen';

const WorkshopScreen = lazy(() => import('./workshop/WorkshopScreen'));
const ToolListScreen = lazy(() => import('../features/tools/ToolListScreen'));
const ToolDetailScreen = lazy(() => import('../features/tools/ToolDetailScreen'));
const EnrolRoute = lazy(() => import('./routes/EnrolRoute'));
const SettingsRoute = lazy(() => import('./routes/SettingsRoute'));
const SearchScreen = lazy(() => import('../features/search/SearchScreen'));
const StorageScreen = lazy(() => import('../features/storage/StorageScreen'));
const MaterialRoute = lazy(() => import('./routes/MaterialRoute'));
const FollowUpHomeScreen = lazy(() => import('../features/followup/FollowUpHomeScreen'));
const ActionLogScreen = lazy(() => import('../features/followup/ActionLogScreen'));
const ActionFormScreen = lazy(() => import('../features/followup/ActionFormScreen'));
const SurveyRoute = lazy(() => import('./routes/SurveyRoute'));
const EvaluationScreen = lazy(() => import('../features/evaluation/EvaluationScreen'));
const ChangesScreen = lazy(() => import('../features/conflicts/ChangesScreen'));
const FollowUpNotices = lazy(() => import('../features/survey/FollowUpNotices'));
const CoordinatorApp = lazy(() => import('../../coordinator/CoordinatorApp'));

export function App() {
  return (
    <Suspense fallback={<BootScreen />}>
      <Shell />
    </Suspense>
  );
}

/** Shown only until the language's strings arrive (a few KB, precached). */
function BootScreen() {
  return (
    <div className="boot" aria-busy="true">
      <span className="boot-name">Vaka</span>
    </div>
  );
}

/**
 * The sticky header and the fixed bottom bar earn their space on a phone at
 * normal text size. With large text (or a short screen) they would cover
 * most of it, hiding the content and whatever has keyboard focus, so past
 * that point they scroll with the page instead (`.shell-static`).
 */
function usePinnedBarsFit(shell: RefObject<HTMLDivElement | null>): void {
  useLayoutEffect(() => {
    const root = shell.current;
    const bars = root ? [...root.querySelectorAll<HTMLElement>('.header, .nav')] : [];
    if (!root || bars.length === 0 || typeof ResizeObserver === 'undefined') return;
    const check = () => {
      const covered = bars.reduce((sum, bar) => sum + bar.offsetHeight, 0);
      root.classList.toggle('shell-static', covered > window.innerHeight * PINNED_BARS_MAX_SHARE);
    };
    const observer = new ResizeObserver(check);
    for (const bar of bars) observer.observe(bar);
    window.addEventListener('resize', check);
    check();
    return () => {
      observer.disconnect();
      window.removeEventListener('resize', check);
    };
  }, [shell]);
}

/** At most this share of the screen's height may be taken by bars that do not scroll. */
const PINNED_BARS_MAX_SHARE = 0.4;

function Shell() {
  const { t } = useTranslation();
  const [location] = useLocation();
  const previous = useRef(location);
  const shell = useRef<HTMLDivElement>(null);
  usePinnedBarsFit(shell);

  // Agenda change highlights need a baseline taken after each sync, also for
  // workshops not opened yet; a lazy chunk, off the first screen's path.
  useEffect(() => {
    void import('../features/agenda-changes/watch').then((m) => m.watchAgendaBaselines()).catch(() => undefined);
  }, []);

  // A layout effect runs before the new screen's own effects, so the screen
  // already knows it was reached by navigation when it decides on focus.
  useLayoutEffect(() => {
    if (previous.current === location) return;
    previous.current = location;
    markNavigated();
    window.scrollTo(0, 0);
  }, [location]);

  return (
    <div className="shell" ref={shell}>
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <Header />
      <UpdateBanner />
      <main id="main" tabIndex={-1} className="main">
        <Suspense fallback={null}>
          <FollowUpNotices />
        </Suspense>
        <Suspense fallback={<Loading />}>
          <Switch>
            <Route path="/" component={WorkshopListScreen} />
            <Route path="/workshops/:id/follow-up">{(p) => <ActionLogScreen workshopId={p.id} />}</Route>
            <Route path="/workshops/:id/follow-up/new">{(p) => <ActionFormScreen workshopId={p.id} />}</Route>
            <Route path="/workshops/:id/follow-up/:actionId">
              {(p) => <ActionFormScreen workshopId={p.id} actionId={p.actionId} />}
            </Route>
            <Route path="/workshops/:id/survey">{(p) => <SurveyRoute workshopId={p.id} />}</Route>
            <Route path="/workshops/:id/evaluation">{(p) => <EvaluationScreen workshopId={p.id} />}</Route>
            <Route path="/follow-up" component={FollowUpHomeScreen} />
            <Route path="/follow-up/changes" component={ChangesScreen} />
            <Route path="/workshops/:id">{(params) => <WorkshopScreen id={params.id} />}</Route>
            <Route path="/tools" component={ToolListScreen} />
            <Route path="/tools/:slug">{(params) => <ToolDetailScreen slug={params.slug} />}</Route>
            <Route path="/enrol" component={EnrolRoute} />
            <Route path="/settings" component={SettingsRoute} />
            <Route path="/search" component={SearchScreen} />
            <Route path="/storage" component={StorageScreen} />
            <Route path="/materials/:id">{(params) => <MaterialRoute id={params.id} />}</Route>
            <Route path="/coordinator" nest component={CoordinatorApp} />
            <Route>
              <NotFound />
            </Route>
          </Switch>
        </Suspense>
      </main>
      <NavBar />
    </div>
  );
}

function NotFound() {
  const { t } = useTranslation();
  return (
    <Screen title={t('notFound.title')}>
      <p>{t('notFound.body')}</p>
      <p>
        <Link href="/">{t('notFound.home')}</Link>
      </p>
    </Screen>
  );
}
