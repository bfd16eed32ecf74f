/**
 * The end-of-workshop evaluation as plain data: four 1–5 ratings and a
 * comment, their average (the regional plan's target is at least 4 of 5),
 * and the translated problems of an incomplete form. Pure.
 */
import { Evaluation } from '../../../shared/schemas/followup';
import { problemsFromZod, type FieldProblem } from '../../ui/field-messages';

export const RATING_FIELDS = ['overall', 'relevance', 'materials', 'facilitation'] as const;
export type RatingField = (typeof RATING_FIELDS)[number];

/** The Strategic Action Plan's target for the average rating. */
export const TARGET_AVERAGE = 4;

export interface EvaluationDraft {
  ratings: Record<RatingField, number | null>;
  comment: string;
}

export function emptyEvaluation(): EvaluationDraft {
  return { ratings: { overall: null, relevance: null, materials: null, facilitation: null }, comment: '' };
}

export function draftOf(e: Evaluation): EvaluationDraft {
  return {
    ratings: { overall: e.overall, relevance: e.relevance, materials: e.materials, facilitation: e.facilitation },
    comment: e.comment,
  };
}

/** Mean of the ratings given so far, to one decimal; null until one is given. */
export function averageRating(draft: EvaluationDraft): number | null {
  const given = RATING_FIELDS.map((f) => draft.ratings[f]).filter((r): r is number => r !== null);
  if (given.length === 0) return null;
  return Math.round((given.reduce((a, b) => a + b, 0) / given.length) * 10) / 10;
}

export function evaluationProblems(draft: EvaluationDraft): FieldProblem[] {
  const placeholder = '00000000-0000-4000-8000-000000000000';
  const parsed = Evaluation.safeParse({
    id: placeholder,
    participantId: placeholder,
    workshopId: placeholder,
    ...draft.ratings,
    comment: draft.comment,
  });
  return parsed.success ? [] : problemsFromZod(parsed.error);
}

export function fieldsOf(draft: EvaluationDraft) {
  return {
    overall: draft.ratings.overall ?? 0,
    relevance: draft.ratings.relevance ?? 0,
    materials: draft.ratings.materials ?? 0,
    facilitation: draft.ratings.facilitation ?? 0,
    comment: draft.comment,
  };
}
