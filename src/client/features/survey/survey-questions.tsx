/**
 * The survey's question groups: the actions taken (prefilled from the log),
 * the lessons applied, and the three answer-and-details questions. Each
 * control has a fixed id, so the error summary links to it and focus lands
 * on it.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ACTION_KINDS } from '../../../shared/schemas/followup';
import { problemAt, type FieldProblem } from '../../ui/field-messages';
import { describedBy, errorId, FieldError } from '../../ui/form';
import type { ActionRow } from '../../content/records';
import { loggedButUnticked, mergeLog, type SurveyAnswers } from './survey-form';

/** Where each answer's control is, for the error summary's links and for focus. */
export const FIELD_IDS: Record<string, string> = {
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

/** Question 1: the follow-up actions taken, with how many of each the log holds and a way to add them. */
export function ActionsQuestion({
  answers,
  actions,
  problems,
  update,
}: {
  answers: SurveyAnswers;
  actions: ActionRow[];
  problems: FieldProblem[];
  update(next: SurveyAnswers, touched: string[]): void;
}) {
  const { t } = useTranslation(['survey', 'form']);
  const [added, setAdded] = useState<number | null>(null);
  const counts = new Map<string, number>();
  for (const a of actions) counts.set(a.kind, (counts.get(a.kind) ?? 0) + 1);
  const unticked = loggedButUnticked(answers, actions);
  return (
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
      <div role="status">{added !== null && <p className="muted">{t('survey.addedFromLog', { count: added })}</p>}</div>
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
  );
}

/** Question 2: how the lessons were applied, operationally and strategically. */
export function LessonsQuestion({
  answers,
  problems,
  update,
}: {
  answers: SurveyAnswers;
  problems: FieldProblem[];
  update(next: SurveyAnswers, touched: string[]): void;
}) {
  const { t } = useTranslation(['survey', 'form']);
  return (
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
  );
}

export function TextField({
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

export function AnswerQuestion({
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
  const { t } = useTranslation(['survey', 'form']);
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
