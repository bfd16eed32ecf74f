/**
 * The coordinator workspace under /coordinator: sign-in, then workshops,
 * tool summaries and the survey report. It is one lazy chunk off the
 * participant app (and each heavy screen is its own chunk below it), so a
 * participant's phone never loads any of it to show the workshop list.
 *
 * The folders, each importing only those listed after it: workshops/ (the
 * list, the form and the five tabs of one workshop), agenda/, materials/,
 * roster/ (with enrolment codes and the QR sheet), replies/, report/ (the
 * survey report, its charts and exports, the raw responses), tools/ (tool
 * summaries and their picker), ui/ (the workspace's form and status pieces,
 * on the client's UI kit) and core/ (the API, its offline cache, the
 * session, the strings).
 */
import { lazy, Suspense, useState } from 'react';
import { Link, Route, Switch, useLocation } from 'wouter';
import { Loading, Screen } from '../client/ui/screen';
import { signOut } from './core/api';
import { forgetCodes } from './roster/codes';
import { forgetEverything } from './core/store';
import { useSession } from './core/use-api';
import { useCoordinatorT } from './core/i18n';
import { SignInForm, SignInScreen } from './SignInScreen';
import { IdleWarning } from './account/IdleWarning';
import WorkshopsScreen from './workshops/WorkshopsScreen';
import './coordinator.css';

const WorkshopScreen = lazy(() => import('./workshops/WorkshopScreen'));
const NewWorkshopScreen = lazy(() => import('./workshops/NewWorkshopScreen'));
const QrSheetScreen = lazy(() => import('./roster/QrSheetScreen'));
const ToolsScreen = lazy(() => import('./tools/ToolsScreen'));
const ToolEditorScreen = lazy(() => import('./tools/ToolEditorScreen'));
const ReportScreen = lazy(() => import('./report/ReportScreen'));
const AccountScreen = lazy(() => import('./account/AccountScreen'));

export default function CoordinatorApp() {
  const session = useSession();
  if (session.status === 'loading') return <Loading />;
  if (session.status === 'signed-out') {
    return (
      <div className="coord">
        <SignInScreen />
      </div>
    );
  }
  return (
    <div className="coord">
      <CoordinatorNav name={session.session.name} />
      {session.expired ? <SessionEnded email={session.session.email} /> : <IdleWarning />}
      <Suspense fallback={<Loading />}>
        <Switch>
          <Route path="/" component={WorkshopsScreen} />
          <Route path="/workshops/new" component={NewWorkshopScreen} />
          <Route path="/workshops/:id/roster/sheet">{(p) => <QrSheetScreen workshopId={p.id} />}</Route>
          <Route path="/workshops/:id/:tab?">{(p) => <WorkshopScreen id={p.id} tab={p.tab ?? 'details'} />}</Route>
          <Route path="/tools" component={ToolsScreen} />
          <Route path="/tools/new">{() => <ToolEditorScreen id={null} />}</Route>
          <Route path="/tools/:id">{(p) => <ToolEditorScreen id={p.id} />}</Route>
          <Route path="/report" component={ReportScreen} />
          <Route path="/account" component={AccountScreen} />
          <Route>
            <NotFoundHere />
          </Route>
        </Switch>
      </Suspense>
    </div>
  );
}

const SECTIONS = [
  { key: 'workshops', href: '/', match: (p: string) => p === '/' || p.startsWith('/workshops') },
  { key: 'tools', href: '/tools', match: (p: string) => p.startsWith('/tools') },
  { key: 'report', href: '/report', match: (p: string) => p.startsWith('/report') },
] as const;

function CoordinatorNav({ name }: { name: string }) {
  const { t } = useCoordinatorT();
  const [location] = useLocation();
  const [busy, setBusy] = useState(false);
  const leave = async () => {
    setBusy(true);
    await signOut();
    forgetCodes();
    await forgetEverything();
  };
  return (
    <div className="coord-bar no-print">
      <nav aria-label={t('nav.label')} className="coord-nav">
        <ul>
          {SECTIONS.map((s) => (
            <li key={s.key}>
              <Link href={s.href} aria-current={s.match(location) ? 'page' : undefined}>
                {t(`nav.${s.key}`)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <p className="coord-who">
        <span className="muted">{t('nav.signedInAs', { name })}</span> <Link href="/account">{t('nav.account')}</Link>{' '}
        <button type="button" className="c-link-button" onClick={() => void leave()} disabled={busy}>
          {t('nav.signOut')}
        </button>
      </p>
    </div>
  );
}

/** The server refused the token: cached views stay, changes need a fresh sign-in. */
function SessionEnded({ email }: { email: string }) {
  const { t } = useCoordinatorT();
  const [open, setOpen] = useState(false);
  return (
    <div className="notice notice-warn no-print" role="region" aria-label={t('signIn.endedLabel')}>
      <p>{t('signIn.ended')}</p>
      {open ? (
        <SignInForm initialEmail={email} />
      ) : (
        <button type="button" className="button button-secondary" onClick={() => setOpen(true)}>
          {t('signIn.again')}
        </button>
      )}
    </div>
  );
}

function NotFoundHere() {
  const { t } = useCoordinatorT();
  return (
    <Screen title={t('notFound.title')}>
      <p>
        <Link href="/">{t('notFound.back')}</Link>
      </p>
    </Screen>
  );
}
