/**
 * Turns the shared schemas' validation issues into translated messages shown
 * next to the fields. The schemas speak English (the server and coordinators
 * read them too), so the device maps each issue to a key of the `form`
 * namespace by its path and code rather than showing the schema's text.
 * Pure: the caller passes `t`.
 */
import type * as z from 'zod';
import type { FieldIssue } from '../../device/db/writes';

/** One field's problem: dotted path, i18n key (in the form namespace) and its values. */
export interface FieldProblem {
  path: string;
  key: string;
  values?: Record<string, string | number>;
}

/** Questions the survey requires an answer to once submitted (the schema's submit-time rules). */
const ANSWER_PATHS = new Set(['directEffects.answer', 'workEfficiency.answer', 'newProjects.answer']);

/** Fields the device fills in itself; an issue there is not the participant's to fix. */
const SILENT_PATHS = new Set(['submittedAt', 'id', 'participantId', 'workshopId', 'revision', 'supersedes', 'status']);

const RATING_PATHS = new Set(['overall', 'relevance', 'materials', 'facilitation']);

type Issue = z.core.$ZodIssue;

function problemOf(issue: Issue): FieldProblem | null {
  const path = issue.path.map(String).join('.');
  if (SILENT_PATHS.has(path)) return null;
  if (ANSWER_PATHS.has(path)) return { path, key: 'errors.answerRequired' };
  if (path === 'otherActions' && issue.code === 'custom') return { path, key: 'errors.otherActionsRequired' };
  if (path === 'newProjects.details' && issue.code === 'custom') return { path, key: 'errors.projectRequired' };
  if (RATING_PATHS.has(path)) return { path, key: 'errors.rating' };
  if (path === 'attendees') return { path, key: 'errors.attendees' };
  switch (issue.code) {
    case 'too_big':
      if (issue.origin === 'string') return { path, key: 'errors.tooLong', values: { max: Number(issue.maximum) } };
      if (issue.origin === 'array') return { path, key: 'errors.tooMany', values: { max: Number(issue.maximum) } };
      return { path, key: 'errors.invalid' };
    case 'too_small':
      return { path, key: 'errors.required' };
    case 'invalid_format':
      return { path, key: issue.format === 'date' ? 'errors.date' : 'errors.invalid' };
    case 'invalid_type':
      return { path, key: 'errors.required' };
    case 'invalid_value':
      return { path, key: 'errors.choose' };
    default:
      return { path, key: 'errors.invalid' };
  }
}

/** Problems in field order, at most one per field (the first is the one to fix first). */
export function problemsFromZod(error: z.ZodError): FieldProblem[] {
  const seen = new Set<string>();
  const out: FieldProblem[] = [];
  for (const issue of error.issues) {
    const problem = problemOf(issue);
    if (!problem || seen.has(problem.path)) continue;
    seen.add(problem.path);
    out.push(problem);
  }
  return out;
}

/**
 * For a ValidationError from the write layer, which keeps only path and
 * English message: known paths get their own message, anything else the
 * generic one, so no English leaks into a French screen.
 */
export function problemsFromFieldIssues(issues: readonly FieldIssue[]): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const issue of issues) {
    const problem = problemOf({
      code: 'custom',
      path: issue.path.split('.'),
      message: issue.message,
      input: undefined,
    });
    if (problem && !out.some((p) => p.path === problem.path)) out.push(problem);
  }
  return out;
}

/** The problem of one field, if any. */
export function problemAt(problems: readonly FieldProblem[], path: string): FieldProblem | undefined {
  return problems.find((p) => p.path === path);
}
