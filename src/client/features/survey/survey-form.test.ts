/** Survey prefill from the follow-up log and the submit-time check. */
import { describe, expect, it } from 'vitest';
import { emptyAnswers, loggedButUnticked, mergeLog, prefillFromLog, submitProblems } from './survey-form';

const log = [
  { kind: 'in-house-workshop' as const, description: 'Half-day session for 14 officers', date: '2024-08-01' },
  { kind: 'share-materials' as const, description: 'Slides on the intranet', date: '2024-07-01' },
  { kind: 'other' as const, description: 'Outreach to brokers', date: '2024-09-01' },
  { kind: 'share-materials' as const, description: 'Printed the tables', date: '2024-07-03' },
  { kind: 'other' as const, description: 'Self-assessment of the PCA unit', date: '2024-07-15' },
];

const owner = {
  id: '00000000-0000-4000-8000-000000000001',
  participantId: '00000000-0000-4000-8000-000000000002',
  workshopId: '00000000-0000-4000-8000-000000000003',
  revision: 1,
  supersedes: null,
};

describe('prefill from the follow-up log', () => {
  it('ticks each logged kind once, in the questionnaire order, and gathers "other" descriptions oldest first', () => {
    expect(prefillFromLog(log)).toEqual({
      actionsTaken: ['share-materials', 'in-house-workshop', 'other'],
      otherActions: 'Self-assessment of the PCA unit\nOutreach to brokers',
    });
    expect(prefillFromLog([])).toEqual({ actionsTaken: [], otherActions: '' });
  });

  it('adds later log entries without undoing the participant’s own edits', () => {
    const answers = { ...emptyAnswers(), actionsTaken: ['submit-report' as const], otherActions: 'My own words' };
    const { answers: merged, added } = mergeLog(answers, log);
    expect(added).toEqual(['share-materials', 'in-house-workshop', 'other']);
    expect(merged.actionsTaken).toEqual(['share-materials', 'submit-report', 'in-house-workshop', 'other']);
    expect(merged.otherActions).toBe('My own words\nSelf-assessment of the PCA unit\nOutreach to brokers');
    // Merging again changes nothing.
    expect(mergeLog(merged, log)).toEqual({ answers: merged, added: [] });
    expect(loggedButUnticked(merged, log)).toEqual([]);
    expect(loggedButUnticked(emptyAnswers(), log)).toEqual(['share-materials', 'in-house-workshop', 'other']);
  });

  it('keeps "other actions" within the field’s 2000 characters', () => {
    const long = Array.from({ length: 30 }, (_, i) => ({
      kind: 'other' as const,
      description: `Action ${i} `.padEnd(100, 'x'),
      date: '2024-07-01',
    }));
    expect(prefillFromLog(long).otherActions.length).toBeLessThanOrEqual(2000);
  });
});

describe('submit-time check', () => {
  const now = new Date('2025-01-10T03:00:00Z');

  it('asks for every yes/no answer, in question order', () => {
    expect(submitProblems(owner, emptyAnswers(), now)).toEqual([
      { path: 'directEffects.answer', key: 'errors.answerRequired' },
      { path: 'workEfficiency.answer', key: 'errors.answerRequired' },
      { path: 'newProjects.answer', key: 'errors.answerRequired' },
    ]);
  });

  it('asks to describe "other" actions and a new project', () => {
    const answers = {
      ...emptyAnswers(),
      actionsTaken: ['other' as const],
      directEffects: { answer: 'not-yet' as const, details: '' },
      workEfficiency: { answer: 'yes' as const, details: 'Faster audits' },
      newProjects: { answer: 'yes' as const, details: '  ' },
    };
    expect(submitProblems(owner, answers, now)).toEqual([
      { path: 'otherActions', key: 'errors.otherActionsRequired' },
      { path: 'newProjects.details', key: 'errors.projectRequired' },
    ]);
    expect(
      submitProblems(
        owner,
        { ...answers, otherActions: 'Outreach', newProjects: { answer: 'yes', details: 'AEO pilot' } },
        now,
      ),
    ).toEqual([]);
  });

  it('reports text over the limit with the limit', () => {
    const answers = {
      ...emptyAnswers(),
      lessonsApplied: { operationalImprovement: 'x'.repeat(4001), strategicEmpowerment: '' },
      directEffects: { answer: 'no' as const, details: '' },
      workEfficiency: { answer: 'no' as const, details: '' },
      newProjects: { answer: 'no' as const, details: '' },
    };
    expect(submitProblems(owner, answers, now)).toEqual([
      { path: 'lessonsApplied.operationalImprovement', key: 'errors.tooLong', values: { max: 4000 } },
    ]);
  });
});
