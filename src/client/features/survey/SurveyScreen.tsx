/**
 * The 6-month follow-up survey of one workshop (the ROCB A/P questionnaire):
 * follow-up actions taken, prefilled from the log; how the lessons were
 * applied; direct effects; work efficiency; new modernization projects. It
 * opens and is due by the workshop's own clock, computed on the phone. The
 * draft saves itself as the participant types; Submit checks it with the
 * shared schema and shows translated messages at the fields. A submitted
 * answer stays as it was sent; amending it makes a new revision.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { surveyWindow, type SurveyWindow } from '../../../shared/domain/survey-window';
import { ACTION_KINDS } from '../../../shared/schemas/followup';
import { Loading, Screen } from '../../ui/screen';
import { getDb } from '../../../device/db/database';
import {
  amendSurveyResponse,
  createRecord,
  deleteRecord,
  updateRecord,
  ValidationError,
} from '../../../device/db/writes';
import { notifyLocalWrite } from '../../sync/scheduler';
import { MergeNotice } from '../conflicts/MergeNotice';
import { NotAParticipant } from '../followup/ActionLogScreen';
import { formatInstant, formatIsoDate } from '../followup/dates';
import { problemAt, problemsFromFieldIssues, type FieldProblem } from '../followup/field-messages';
import { describedBy, ErrorSummary, errorId, FieldError, ReceiptLine } from '../../ui/form';
import {
  attended,
  listActions,
  listResponses,
  receiptsOf,
  type ActionRow,
  type ResponseRow,
  type WorkshopRow,
} from '../followup/queries';
import { getWorkshop, localizedWorkshop } from '../workshops/queries';
import {
  answersOf,
  loggedButUnticked,
  mergeLog,
  prefilledAnswers,
  submitProblems,
  tidy,
  type SurveyAnswers,
} from './survey-form';
import { submittedRevisions, surveyState } from './revisions';
import { useAutosave } from './useAutosave';
import '../followup/followup.css';

export default function SurveyScreen({ workshopId }: { workshopId: string }) {
  const { t, i18n } = useTranslation('followup');
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
  const { t, i18n } = useTranslation('followup');
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

/** Where each answer's control is, for the error summary's links and for focus. */
const FIELD_IDS: Record<string, string> = {
  actionsTaken: 'q-actions',
  otherActions: 'q-other-actions',
  'lessonsApplied.operationalImprovement': 'q-operational',
  'lessonsApplied.strategicEmpowerment': 'q-strategic',
  'directEffects.answer': 'q-effects',
  'directEffects.details': 'q-effects-details',
  'workEfficiency.answer': 'q-efficiency',
  'workEfficiency.details': 'q-efficiency-details',
  'newProjects.answer': 'q-projects',
  'newProjects.details': 'q-projects-details',
};

const PLACEHOLDER_ID = '00000000-0000-4000-8000-000000000000';

function SurveyForm({
  workshop,
  record,
  actions,
  onSubmitted,
}: {
  workshop: WorkshopRow;
  record: ResponseRow | null;
  actions: ActionRow[];
  onSubmitted(): void;
}) {
  const { t } = useTranslation('followup');
  const db = getDb();
  const [answers, setAnswers] = useState<SurveyAnswers>(() => (record ? answersOf(record) : prefilledAnswers(actions)));
  const [prefilled] = useState(() => record === null && actions.length > 0);
  const recordId = useRef<string | null>(record?.id ?? null);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [submitting, setSubmitting] = useState(false);
  const [submitFailed, setSubmitFailed] = useState(false);
  const [added, setAdded] = useState<number | null>(null);
  const summary = useRef<HTMLDivElement>(null);

  const [saver, saveState] = useAutosave<SurveyAnswers>(async (value) => {
    if (recordId.current === null) {
      const created = await createRecord(db, 'surveyResponses', {
        workshopId: workshop.id,
        status: 'draft',
        ...value,
      });
      recordId.current = created.id;
    } else {
      await updateRecord(db, 'surveyResponses', recordId.current, value);
    }
    notifyLocalWrite();
  });

  const update = (next: SurveyAnswers, touched: string[]) => {
    setAnswers(next);
    saver.change(next);
    setProblems((ps) => ps.filter((p) => !touched.some((path) => p.path === path || p.path.startsWith(`${path}.`))));
  };

  const counts = new Map<string, number>();
  for (const a of actions) counts.set(a.kind, (counts.get(a.kind) ?? 0) + 1);
  const unticked = loggedButUnticked(answers, actions);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitFailed(false);
    await saver.flush();
    const now = new Date();
    const found = submitProblems(
      {
        id: record?.id ?? PLACEHOLDER_ID,
        participantId: record?.participantId ?? PLACEHOLDER_ID,
        workshopId: workshop.id,
        revision: record?.revision ?? 1,
        supersedes: record?.supersedes ?? null,
      },
      answers,
      now,
    );
    setProblems(found);
    if (found.length > 0) {
      requestAnimationFrame(() => summary.current?.focus());
      return;
    }
    setSubmitting(true);
    saver.cancel();
    try {
      const final = { ...tidy(answers), status: 'submitted' as const, submittedAt: now.toISOString() };
      if (recordId.current === null) await createRecord(db, 'surveyResponses', { workshopId: workshop.id, ...final });
      else await updateRecord(db, 'surveyResponses', recordId.current, final);
      notifyLocalWrite();
      onSubmitted();
    } catch (error) {
      setSubmitting(false);
      if (error instanceof ValidationError) {
        setProblems(problemsFromFieldIssues(error.issues));
        requestAnimationFrame(() => summary.current?.focus());
      } else setSubmitFailed(true);
    }
  }

  async function discard() {
    saver.cancel();
    if (recordId.current) await deleteRecord(db, 'surveyResponses', recordId.current);
    notifyLocalWrite();
  }

  const fieldId = (path: string) => FIELD_IDS[path] ?? FIELD_IDS[path.split('.')[0]!] ?? 'q-actions';
  const labelOf = (path: string) => t(`survey.short.${path.replace('.', '_')}`);
  const invalid = (path: string) => (problemAt(problems, path) ? true : undefined);

  return (
    <form
      className="form followup-form survey-form"
      noValidate
      onSubmit={(e) => void submit(e)}
      onBlur={() => void saver.flush()}
    >
      {prefilled && <p className="notice notice-ok">{t('survey.prefilled')}</p>}
      <ErrorSummary ref={summary} problems={problems} fieldIdOf={fieldId} labelOf={labelOf} />

      <fieldset className="question" id={FIELD_IDS.actionsTaken} tabIndex={-1}>
        <legend className="legend">{t('survey.q1')}</legend>
        <p className="field-hint">{t('survey.q1Hint')}</p>
        <div className="choice-group">
          {ACTION_KINDS.map((kind) => {
            const inLog = counts.get(kind) ?? 0;
            return (
              <label key={kind} className="choice">
                <input
                  type="checkbox"
                  checked={answers.actionsTaken.includes(kind)}
                  onChange={(e) =>
                    update(
                      {
                        ...answers,
                        actionsTaken: e.target.checked
                          ? ACTION_KINDS.filter((k) => k === kind || answers.actionsTaken.includes(k))
                          : answers.actionsTaken.filter((k) => k !== kind),
                      },
                      ['actionsTaken', 'otherActions'],
                    )
                  }
                />
                <span>
                  {t(`kinds.${kind}`)}
                  {inLog > 0 && (
                    <span className="muted">
                      {t('common:common.separator')}
                      {t('survey.inLog', { count: inLog })}
                    </span>
                  )}
                </span>
              </label>
            );
          })}
        </div>
        {unticked.length > 0 && (
          <p>
            <button
              type="button"
              className="button button-secondary"
              onClick={() => {
                const merged = mergeLog(answers, actions);
                update(merged.answers, ['actionsTaken', 'otherActions']);
                setAdded(merged.added.length);
              }}
            >
              {t('survey.addFromLog', { count: unticked.length })}
            </button>
          </p>
        )}
        <div role="status">
          {added !== null && <p className="muted">{t('survey.addedFromLog', { count: added })}</p>}
        </div>
        {answers.actionsTaken.includes('other') && (
          <TextField
            id={FIELD_IDS.otherActions!}
            label={t('survey.otherActions')}
            value={answers.otherActions}
            max={2000}
            problem={problemAt(problems, 'otherActions')}
            onChange={(v) => update({ ...answers, otherActions: v }, ['otherActions'])}
          />
        )}
      </fieldset>

      <fieldset className="question">
        <legend className="legend">{t('survey.q2')}</legend>
        <TextField
          id={FIELD_IDS['lessonsApplied.operationalImprovement']!}
          label={t('survey.operational')}
          hint={t('survey.operationalHint')}
          value={answers.lessonsApplied.operationalImprovement}
          max={4000}
          problem={problemAt(problems, 'lessonsApplied.operationalImprovement')}
          onChange={(v) =>
            update({ ...answers, lessonsApplied: { ...answers.lessonsApplied, operationalImprovement: v } }, [
              'lessonsApplied.operationalImprovement',
            ])
          }
        />
        <TextField
          id={FIELD_IDS['lessonsApplied.strategicEmpowerment']!}
          label={t('survey.strategic')}
          hint={t('survey.strategicHint')}
          value={answers.lessonsApplied.strategicEmpowerment}
          max={4000}
          problem={problemAt(problems, 'lessonsApplied.strategicEmpowerment')}
          onChange={(v) =>
            update({ ...answers, lessonsApplied: { ...answers.lessonsApplied, strategicEmpowerment: v } }, [
              'lessonsApplied.strategicEmpowerment',
            ])
          }
        />
      </fieldset>

      <AnswerQuestion
        name="directEffects"
        legend={t('survey.q3')}
        options={['yes', 'no', 'not-yet']}
        value={answers.directEffects}
        detailsLabel={t('survey.q3Details')}
        problems={problems}
        invalid={invalid('directEffects.answer')}
        onChange={(v, touched) => update({ ...answers, directEffects: v as SurveyAnswers['directEffects'] }, touched)}
      />
      <AnswerQuestion
        name="workEfficiency"
        legend={t('survey.q4')}
        options={['yes', 'no']}
        value={answers.workEfficiency}
        detailsLabel={t('survey.q4Details')}
        problems={problems}
        invalid={invalid('workEfficiency.answer')}
        onChange={(v, touched) => update({ ...answers, workEfficiency: v as SurveyAnswers['workEfficiency'] }, touched)}
      />
      <AnswerQuestion
        name="newProjects"
        legend={t('survey.q5')}
        options={['yes', 'no']}
        value={answers.newProjects}
        detailsLabel={t('survey.q5Details')}
        problems={problems}
        invalid={invalid('newProjects.answer')}
        onChange={(v, touched) => update({ ...answers, newProjects: v as SurveyAnswers['newProjects'] }, touched)}
      />

      <div role="status" aria-live="polite" className="save-state">
        {saveState === 'saving' || saveState === 'pending'
          ? t('survey.saving')
          : saveState === 'saved'
            ? t('survey.saved')
            : saveState === 'error'
              ? t('survey.saveError')
              : ''}
      </div>
      <div role="alert">{submitFailed && <p className="field-error">{t('survey.submitFailed')}</p>}</div>
      <p className="form-actions">
        <button type="submit" className="button" disabled={submitting}>
          {submitting ? t('survey.submitting') : t('survey.submit')}
        </button>
        {record && record.revision > 1 && (
          <button type="button" className="button button-secondary" onClick={() => void discard()}>
            {t('survey.discardAmendment')}
          </button>
        )}
      </p>
      <p className="field-hint">{t('survey.submitHint')}</p>
    </form>
  );
}

function TextField({
  id,
  label,
  hint,
  value,
  max,
  problem,
  onChange,
}: {
  id: string;
  label: string;
  hint?: string;
  value: string;
  max: number;
  problem: FieldProblem | undefined;
  onChange(value: string): void;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <textarea
        id={id}
        className="input textarea"
        rows={4}
        maxLength={max}
        dir="auto"
        value={value}
        aria-invalid={problem ? true : undefined}
        aria-describedby={describedBy(hint && `${id}-hint`, problem && errorId(id))}
        onChange={(e) => onChange(e.target.value)}
      />
      <FieldError id={id} problem={problem} />
    </div>
  );
}

type Answered = { answer: string | null; details: string };

function AnswerQuestion({
  name,
  legend,
  options,
  value,
  detailsLabel,
  problems,
  invalid,
  onChange,
}: {
  name: 'directEffects' | 'workEfficiency' | 'newProjects';
  legend: string;
  options: readonly string[];
  value: Answered;
  detailsLabel: string;
  problems: FieldProblem[];
  invalid: true | undefined;
  onChange(value: Answered, touched: string[]): void;
}) {
  const { t } = useTranslation('followup');
  const answerId = FIELD_IDS[`${name}.answer`]!;
  const detailsId = FIELD_IDS[`${name}.details`]!;
  return (
    <fieldset
      className="question"
      id={answerId}
      tabIndex={-1}
      aria-describedby={describedBy(invalid && errorId(answerId))}
    >
      <legend className="legend">{legend}</legend>
      <FieldError id={answerId} problem={problemAt(problems, `${name}.answer`)} />
      <div className="choice-group choice-row">
        {options.map((option) => (
          <label key={option} className="choice">
            <input
              type="radio"
              name={name}
              value={option}
              checked={value.answer === option}
              onChange={() => onChange({ ...value, answer: option }, [`${name}.answer`])}
            />
            <span>{t(`answers.${option}`)}</span>
          </label>
        ))}
      </div>
      <TextField
        id={detailsId}
        label={detailsLabel}
        value={value.details}
        max={4000}
        problem={problemAt(problems, `${name}.details`)}
        onChange={(details) => onChange({ ...value, details }, [`${name}.details`])}
      />
    </fieldset>
  );
}

function SubmittedView({
  submitted,
  history,
  justSubmitted,
  onAmend,
}: {
  submitted: ResponseRow;
  history: ResponseRow[];
  justSubmitted: boolean;
  onAmend(): Promise<void>;
}) {
  const { t, i18n } = useTranslation('followup');
  const receipts = useLiveQuery(() => receiptsOf(getDb(), [submitted.id]), [submitted.id]);
  const [busy, setBusy] = useState(false);
  return (
    <>
      <div role="status">{justSubmitted && <p className="notice notice-ok">{t('survey.submittedNotice')}</p>}</div>
      <section aria-labelledby="submitted-heading">
        <h2 id="submitted-heading">{t('survey.submittedTitle')}</h2>
        <p>
          {t('survey.submittedOn', {
            date: submitted.submittedAt ? formatInstant(i18n.language, submitted.submittedAt) : '',
            revision: submitted.revision,
          })}
        </p>
        <ReceiptLine receipt={receipts?.get(submitted.id)} />
        <AnswersList response={submitted} />
        <p className="form-actions">
          <button
            type="button"
            className="button button-secondary"
            disabled={busy}
            onClick={() => {
              setBusy(true);
              void onAmend().finally(() => setBusy(false));
            }}
          >
            {t('survey.amend')}
          </button>
        </p>
        <p className="field-hint">{t('survey.amendHint')}</p>
      </section>
      {history.length > 1 && <HistoryList history={history} />}
    </>
  );
}

function HistoryList({ history }: { history: ResponseRow[] }) {
  const { t, i18n } = useTranslation('followup');
  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">{t('survey.historyTitle')}</h2>
      <ol className="history-list" reversed>
        {history.map((r) => (
          <li key={r.id}>
            <details>
              <summary>
                {t('survey.revisionLine', {
                  revision: r.revision,
                  date: r.submittedAt ? formatInstant(i18n.language, r.submittedAt) : '',
                })}
              </summary>
              <AnswersList response={r} />
            </details>
          </li>
        ))}
      </ol>
    </section>
  );
}

function AnswersList({ response: r }: { response: ResponseRow }) {
  const { t } = useTranslation('followup');
  const answer = (a: { answer: string | null; details: string }) =>
    `${a.answer ? t(`answers.${a.answer}`) : t('changes.noAnswer')}${a.details ? ` — ${a.details}` : ''}`;
  const rows: [string, string][] = [
    [
      t('survey.q1'),
      [
        r.actionsTaken.length ? r.actionsTaken.map((k) => t(`kinds.${k}`)).join(', ') : t('changes.empty'),
        r.otherActions,
      ]
        .filter(Boolean)
        .join(' — '),
    ],
    [t('survey.operational'), r.lessonsApplied.operationalImprovement || t('changes.empty')],
    [t('survey.strategic'), r.lessonsApplied.strategicEmpowerment || t('changes.empty')],
    [t('survey.q3'), answer(r.directEffects)],
    [t('survey.q4'), answer(r.workEfficiency)],
    [t('survey.q5'), answer(r.newProjects)],
  ];
  return (
    <dl className="facts answers">
      {rows.map(([q, a]) => (
        <div key={q}>
          <dt>{q}</dt>
          <dd dir="auto">{a}</dd>
        </div>
      ))}
    </dl>
  );
}
