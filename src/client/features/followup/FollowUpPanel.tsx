/**
 * "Your follow-up" on a workshop the participant attended: the way into the
 * follow-up log, the 6-month survey (with where its clock stands, computed
 * on the phone from the workshop's dates) and the end-of-workshop
 * evaluation. Shown only to participants of that workshop.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { evaluationOpen, surveyWindow } from '../../../shared/domain/survey-window';
import { getDb } from '../../../device/db/database';
import { submittedRevisions } from '../../content/survey-revisions';
import { formatIsoDate } from '../../i18n/dates';
import { attended, getEvaluation, listActions, listResponses, type WorkshopRow } from '../../content/records';
import './followup.css';

async function readPanel(workshopId: string) {
  const db = getDb();
  if (!(await attended(db, workshopId))) return null;
  const [actions, responses, evaluation] = await Promise.all([
    listActions(db, workshopId),
    listResponses(db, workshopId),
    getEvaluation(db, workshopId),
  ]);
  return { actions: actions.length, responses, evaluation };
}

/** `embedded`: inside a list that already names the workshop, so no heading of its own. */
export function FollowUpPanel({ workshop: w, embedded = false }: { workshop: WorkshopRow; embedded?: boolean }) {
  const data = useLiveQuery(() => readPanel(w.id), [w.id]);
  if (!data) return null;
  return <Panel workshop={w} embedded={embedded} {...data} />;
}

function Panel({
  workshop: w,
  embedded,
  actions,
  responses,
  evaluation,
}: { workshop: WorkshopRow; embedded: boolean } & NonNullable<Awaited<ReturnType<typeof readPanel>>>) {
  const { t, i18n } = useTranslation(['followup', 'form']);
  const lng = i18n.language;
  const now = new Date();
  const win = surveyWindow(w, now);
  const submitted = submittedRevisions(responses)[0];
  const started = responses.some((r) => !r._deleted && r.status === 'draft');
  const evalOpen = evaluationOpen(w, now);
  const dueOn = formatIsoDate(lng, win.dueOn, w.timeZone);

  let surveyStatus: string;
  let tone: 'ok' | 'warn' | 'neutral' = 'neutral';
  if (submitted) {
    surveyStatus = t('panel.surveySubmitted', { revision: submitted.revision });
    tone = 'ok';
  } else if (win.phase === 'not-yet') {
    surveyStatus = t('panel.surveyOpensOn', { date: formatIsoDate(lng, win.opensOn, w.timeZone) });
  } else if (win.phase === 'open') {
    surveyStatus = t(started ? 'panel.surveyDraftUntil' : 'panel.surveyOpenUntil', { date: dueOn });
    tone = 'warn';
  } else if (win.phase === 'due-soon') {
    surveyStatus = t('panel.surveyDueIn', { count: win.daysLeft, date: dueOn });
    tone = 'warn';
  } else {
    surveyStatus = t('panel.surveyOverdue', { date: dueOn });
    tone = 'warn';
  }

  const links = (
    <>
      <ul className="panel-links">
        <li>
          <Link href={`/workshops/${w.id}/follow-up`}>{t('panel.log')}</Link>
          <span className="muted">{t('panel.actions', { count: actions })}</span>
        </li>
        <li>
          <Link href={`/workshops/${w.id}/survey`}>{t('panel.survey')}</Link>
          <span className={`chip chip-${tone}`}>{surveyStatus}</span>
        </li>
        <li>
          {evalOpen ? (
            <Link href={`/workshops/${w.id}/evaluation`}>{t('panel.evaluation')}</Link>
          ) : (
            <span>{t('panel.evaluation')}</span>
          )}
          <span className="muted">
            {evaluation
              ? t('panel.evaluationDone')
              : evalOpen
                ? t('panel.evaluationOpen')
                : t('panel.evaluationFrom', { date: formatIsoDate(lng, w.endDate, w.timeZone) })}
          </span>
        </li>
      </ul>
      <p>
        <Link href={`/workshops/${w.id}/follow-up/new`} className="button">
          {t('panel.logAction')}
        </Link>
      </p>
    </>
  );
  if (embedded) return <div className="followup-panel">{links}</div>;
  return (
    <section aria-labelledby="followup-heading" className="followup-panel">
      <h2 id="followup-heading">{t('panel.title')}</h2>
      <p className="field-hint">{t('panel.lead')}</p>
      {links}
      <p>
        <Link href="/follow-up">{t('panel.all')}</Link>
      </p>
    </section>
  );
}
