/**
 * The survey form: the answers being typed (prefilled from the log for a
 * first draft), their check with the shared schema on Submit, and the
 * translated messages at the fields. Writing the draft and the submitted
 * answer is use-survey-draft.ts; the questions are survey-questions.tsx.
 */
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ValidationError } from '../../../device/db/writes';
import { problemAt, problemsFromFieldIssues, type FieldProblem } from '../../ui/field-messages';
import { ErrorSummary } from '../../ui/form';
import type { ActionRow, ResponseRow, WorkshopRow } from '../../content/records';
import { answersOf, prefilledAnswers, submitProblems, tidy, type SurveyAnswers } from './survey-form';
import { ActionsQuestion, AnswerQuestion, FIELD_IDS, LessonsQuestion } from './survey-questions';
import { useSurveyDraft } from './use-survey-draft';

const PLACEHOLDER_ID = '00000000-0000-4000-8000-000000000000';

export function SurveyForm({
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
  const { t } = useTranslation(['survey', 'form']);
  const [answers, setAnswers] = useState<SurveyAnswers>(() => (record ? answersOf(record) : prefilledAnswers(actions)));
  const [prefilled] = useState(() => record === null && actions.length > 0);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [submitting, setSubmitting] = useState(false);
  const [submitFailed, setSubmitFailed] = useState(false);
  const summary = useRef<HTMLDivElement>(null);

  const draft = useSurveyDraft(workshop.id, record?.id ?? null);
  const saver = draft.saver;

  const update = (next: SurveyAnswers, touched: string[]) => {
    setAnswers(next);
    saver.change(next);
    setProblems((ps) => ps.filter((p) => !touched.some((path) => p.path === path || p.path.startsWith(`${path}.`))));
  };

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
      await draft.submit({ ...tidy(answers), status: 'submitted', submittedAt: now.toISOString() });
      onSubmitted();
    } catch (error) {
      setSubmitting(false);
      if (error instanceof ValidationError) {
        setProblems(problemsFromFieldIssues(error.issues));
        requestAnimationFrame(() => summary.current?.focus());
      } else setSubmitFailed(true);
    }
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

      <ActionsQuestion answers={answers} actions={actions} problems={problems} update={update} />
      <LessonsQuestion answers={answers} problems={problems} update={update} />

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
        {draft.saveState === 'saving' || draft.saveState === 'pending'
          ? t('survey.saving')
          : draft.saveState === 'saved'
            ? t('survey.saved')
            : draft.saveState === 'error'
              ? t('survey.saveError')
              : ''}
      </div>
      <div role="alert">{submitFailed && <p className="field-error">{t('survey.submitFailed')}</p>}</div>
      <p className="form-actions">
        <button type="submit" className="button" disabled={submitting}>
          {submitting ? t('survey.submitting') : t('survey.submit')}
        </button>
        {record && record.revision > 1 && (
          <button type="button" className="button button-secondary" onClick={() => void draft.discard()}>
            {t('survey.discardAmendment')}
          </button>
        )}
      </p>
      <p className="field-hint">{t('survey.submitHint')}</p>
    </form>
  );
}
