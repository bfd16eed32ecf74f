/**
 * The 6-month follow-up survey of one workshop (the ROCB A/P questionnaire):
 * follow-up actions taken, prefilled from the log; how the lessons were
 * applied; direct effects; work efficiency; new modernization projects. It
 * opens and is due by the workshop's own clock, computed on the phone. The
 * draft saves itself as the participant types; Submit checks it with the
 * shared schema and shows translated messages at the fields. A submitted
 * answer stays as it was sent; amending it makes a new revision. This file
 * loads the records and picks what to show; the form, its questions, its
 * writes and the submitted view have files of their own.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { surveyWindow, type SurveyWindow } from '../../../shared/domain/survey-window';
import { Loading, Screen } from '../../ui/screen';
import { getDb } from '../../../device/db/database';
import { amendSurveyResponse } from '../../../device/db/writes';
import { notifyLocalWrite } from '../../sync/scheduler';
import { MergeNotice } from '../../ui/MergeNotice';
import { NotAParticipant } from '../../ui/NotAParticipant';
import { formatIsoDate } from '../../i18n/dates';
import { attended, listActions, listResponses, type WorkshopRow } from '../../content/records';
import { getWorkshop, localizedWorkshop } from '../../content/workshops';
import { submittedRevisions, surveyState } from '../../content/survey-revisions';
import { HistoryList, SubmittedView } from './SubmittedView';
import { SurveyForm } from './SurveyForm';
import './survey.css';

/** `calendar`: the "Add to my calendar" control the app composes in (app/routes/SurveyRoute.tsx). */
export default function SurveyScreen({ workshopId, calendar }: { workshopId: string; calendar?: ReactNode }) {
  const { t, i18n } = useTranslation(['survey', 'form']);
  const db = getDb();
  const workshop = useLiveQuery(() => getWorkshop(workshopId), [workshopId]);
  const isParticipant = useLiveQuery(() => attended(db, workshopId), [workshopId]);
  const responses = useLiveQuery(() => listResponses(db, workshopId), [workshopId]);
  const actions = useLiveQuery(() => listActions(db, workshopId), [workshopId]);
  const [justSubmitted, setJustSubmitted] = useState(false);

  const loading = workshop === undefined || isParticipant === undefined || !responses || !actions;
  const title = t('survey.title');
  const named = workshop ? localizedWorkshop(workshop, i18n.language) : null;
  const back = (
    <p className="back-link">
      <Link href={`/workshops/${workshopId}`}>
        {/* An English title in a right-to-left interface keeps its own direction beside the arrow. */}
        {named ? <bdi lang={named.titleLang}>{named.title}</bdi> : t('common.backToWorkshop')}
      </Link>
    </p>
  );
  if (loading) {
    return (
      <Screen title={title} back={back}>
        <Loading />
      </Screen>
    );
  }
  if (!isParticipant || !workshop) {
    return (
      <Screen title={title} back={back}>
        <NotAParticipant />
      </Screen>
    );
  }
  const win = surveyWindow(workshop, new Date());
  const state = surveyState(responses);
  const lead = (
    <p className="lead" dir="auto" lang={named?.titleLang}>
      {named?.title}
    </p>
  );
  const recordIds = responses.filter((r) => !r._deleted).map((r) => r.id);

  if (state.kind === 'none' && win.phase === 'not-yet') {
    return (
      <Screen title={title} back={back} lead={lead}>
        <WindowLine workshop={workshop} win={win} />
        {calendar}
        <p>{t('survey.notYetBody')}</p>
        <p>
          <Link href={`/workshops/${workshopId}/follow-up`}>{t('survey.notYetLog')}</Link>
        </p>
      </Screen>
    );
  }

  return (
    <Screen title={title} back={back} lead={lead}>
      <WindowLine workshop={workshop} win={win} />
      {calendar}
      <MergeNotice recordIds={recordIds} />
      {state.kind === 'submitted' && !state.amending ? (
        <SubmittedView
          submitted={state.submitted}
          history={submittedRevisions(responses)}
          justSubmitted={justSubmitted}
          onAmend={async () => {
            setJustSubmitted(false);
            await amendSurveyResponse(db, state.submitted.id);
            notifyLocalWrite();
          }}
        />
      ) : (
        <>
          {state.kind === 'submitted' && state.amending && (
            <p className="notice">
              {t('survey.amending', { revision: state.submitted.revision, next: state.amending.revision })}
            </p>
          )}
          <SurveyForm
            // Stable while a first draft is created, new for each amendment.
            key={`revision-${state.kind === 'draft' ? state.draft.revision : state.kind === 'submitted' ? state.amending?.revision : 1}`}
            workshop={workshop}
            record={state.kind === 'draft' ? state.draft : state.kind === 'submitted' ? state.amending : null}
            actions={actions}
            onSubmitted={() => setJustSubmitted(true)}
          />
          {state.kind === 'submitted' && <HistoryList history={submittedRevisions(responses)} />}
        </>
      )}
    </Screen>
  );
}

function WindowLine({ workshop: w, win }: { workshop: WorkshopRow; win: SurveyWindow }) {
  const { t, i18n } = useTranslation(['survey', 'form']);
  const lng = i18n.language;
  const opens = formatIsoDate(lng, win.opensOn, w.timeZone);
  const due = formatIsoDate(lng, win.dueOn, w.timeZone);
  const text =
    win.phase === 'not-yet'
      ? t('survey.window.notYet', { opens, due })
      : win.phase === 'open'
        ? t('survey.window.open', { due })
        : win.phase === 'due-soon'
          ? t('survey.window.dueSoon', { count: win.daysLeft, due })
          : t('survey.window.overdue', { due });
  return (
    <p className={win.phase === 'due-soon' || win.phase === 'overdue' ? 'notice notice-warn' : 'notice'}>{text}</p>
  );
}
