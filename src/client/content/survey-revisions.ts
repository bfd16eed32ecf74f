/**
 * Which survey response the participant is working on, and its history. A
 * submitted response is never changed: amending it makes a new record with
 * the next revision that supersedes it (see amendSurveyResponse), so the
 * history is every submitted revision, newest first. Pure.
 */
import type { SurveyResponse } from '../../shared/schemas/followup';

type Row = SurveyResponse & { _deleted: boolean; _updatedAt: string };

function newestFirst<T extends Row>(a: T, b: T): number {
  return b.revision - a.revision || b._updatedAt.localeCompare(a._updatedAt);
}

/**
 * The response to show: the highest live revision. Two phones may both have
 * started a first draft offline; the one edited last wins the screen (the
 * other stays on the server, and is still listed in the history if submitted).
 */
export function currentResponse<T extends Row>(rows: readonly T[]): T | null {
  return rows.filter((r) => !r._deleted).sort(newestFirst)[0] ?? null;
}

/** Submitted revisions, newest first. */
export function submittedRevisions<T extends Row>(rows: readonly T[]): T[] {
  return rows.filter((r) => !r._deleted && r.status === 'submitted').sort(newestFirst);
}

export type SurveyState<T extends Row = Row> =
  /** Nothing typed yet. */
  | { kind: 'none' }
  /** A first answer in progress. */
  | { kind: 'draft'; draft: T }
  /** Submitted; `amending` is the draft of the next revision, if one was started. */
  | { kind: 'submitted'; submitted: T; amending: T | null };

export function surveyState<T extends Row>(rows: readonly T[]): SurveyState<T> {
  const current = currentResponse(rows);
  if (!current) return { kind: 'none' };
  const lastSubmitted = submittedRevisions(rows)[0] ?? null;
  if (current.status === 'submitted') return { kind: 'submitted', submitted: current, amending: null };
  if (lastSubmitted) return { kind: 'submitted', submitted: lastSubmitted, amending: current };
  return { kind: 'draft', draft: current };
}

/** Whether any revision was submitted: the survey counts as answered. */
export function hasSubmitted(rows: readonly Pick<Row, '_deleted' | 'status'>[]): boolean {
  return rows.some((r) => !r._deleted && r.status === 'submitted');
}
