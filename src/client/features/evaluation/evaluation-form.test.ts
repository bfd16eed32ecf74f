/** The evaluation form: four 1–5 ratings, their average against the plan's target of 4. */
import { describe, expect, it } from 'vitest';
import { averageRating, emptyEvaluation, evaluationProblems, TARGET_AVERAGE } from './evaluation-form';

describe('evaluation form', () => {
  it('asks for each rating', () => {
    expect(evaluationProblems(emptyEvaluation()).map((p) => [p.path, p.key])).toEqual([
      ['overall', 'errors.rating'],
      ['relevance', 'errors.rating'],
      ['materials', 'errors.rating'],
      ['facilitation', 'errors.rating'],
    ]);
  });

  it('averages the ratings given, to one decimal', () => {
    const draft = { ratings: { overall: 5, relevance: 4, materials: 4, facilitation: 4 }, comment: '' };
    expect(evaluationProblems(draft)).toEqual([]);
    expect(averageRating(draft)).toBe(4.3);
    expect(averageRating(draft)! >= TARGET_AVERAGE).toBe(true);
    expect(averageRating({ ...draft, ratings: { ...draft.ratings, relevance: null, materials: 2 } })).toBe(3.7);
    expect(averageRating(emptyEvaluation())).toBeNull();
  });

  it('keeps the comment within its limit', () => {
    const draft = { ratings: { overall: 3, relevance: 3, materials: 3, facilitation: 3 }, comment: 'x'.repeat(2001) };
    expect(evaluationProblems(draft)).toEqual([{ path: 'comment', key: 'errors.tooLong', values: { max: 2000 } }]);
  });
});
