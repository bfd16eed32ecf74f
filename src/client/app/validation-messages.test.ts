/**
 * Validation messages reach the participant in their language: every
 * problem the shared schemas can raise on the follow-up forms maps to a key
 * that each language translates (no raw key, no English left in French,
 * Portuguese or Persian), with its placeholders filled.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { LANGUAGES } from '../i18n/languages';
import { emptyEvaluation, evaluationProblems } from '../features/evaluation/evaluation-form';
import { emptyAnswers, submitProblems } from '../features/survey/survey-form';
import { actionProblems, emptyDraft } from '../features/followup/action-form';
import { problemsFromFieldIssues, type FieldProblem } from '../ui/field-messages';

const root = path.resolve(__dirname, '../../../locales');
const load = (lng: string) => JSON.parse(readFileSync(path.join(root, lng, 'form.json'), 'utf8')) as object;

const owner = {
  id: '00000000-0000-4000-8000-000000000001',
  participantId: '00000000-0000-4000-8000-000000000002',
  workshopId: '00000000-0000-4000-8000-000000000003',
  revision: 1,
  supersedes: null,
};

/** Every problem the three forms produce for typical mistakes. */
function allProblems(): FieldProblem[] {
  const now = new Date('2025-01-10T00:00:00Z');
  return [
    ...submitProblems(owner, emptyAnswers(), now),
    ...submitProblems(
      owner,
      {
        ...emptyAnswers(),
        actionsTaken: ['other'],
        lessonsApplied: { operationalImprovement: 'x'.repeat(4001), strategicEmpowerment: '' },
        directEffects: { answer: 'yes', details: '' },
        workEfficiency: { answer: 'no', details: '' },
        newProjects: { answer: 'yes', details: '' },
      },
      now,
    ),
    ...actionProblems(emptyDraft('2024-07-01')),
    ...actionProblems({ ...emptyDraft('July', 'in-house-workshop'), description: 'x', attendees: 'twelve' }),
    ...evaluationProblems(emptyEvaluation()),
    ...problemsFromFieldIssues([{ path: 'evidence', message: 'Too big: expected array to have <=10 items' }]),
  ];
}

const translators = new Map<string, TFunction>();

beforeAll(async () => {
  for (const { code } of LANGUAGES) {
    const instance = i18next.createInstance();
    await instance.init({
      lng: code,
      fallbackLng: false,
      ns: ['form'],
      defaultNS: 'form',
      resources: { [code]: { form: load(code) } },
      interpolation: { escapeValue: false },
    });
    translators.set(code, instance.t);
  }
});

describe('validation messages', () => {
  const problems = allProblems();

  it('cover the survey, action and evaluation rules', () => {
    expect(new Set(problems.map((p) => p.key))).toEqual(
      new Set([
        'errors.answerRequired',
        'errors.otherActionsRequired',
        'errors.projectRequired',
        'errors.tooLong',
        'errors.chooseKind',
        'errors.required',
        'errors.date',
        'errors.attendees',
        'errors.rating',
        'errors.invalid',
      ]),
    );
  });

  for (const { code } of LANGUAGES) {
    it(`are translated in ${code}, with values filled in`, () => {
      const t = translators.get(code)!;
      const english = translators.get('en')!;
      for (const p of problems) {
        const message = t(p.key, p.values);
        expect(message, p.key).not.toBe(p.key);
        expect(message.trim().length, p.key).toBeGreaterThan(5);
        expect(message, p.key).not.toMatch(/\{\{/);
        if (code !== 'en') expect(message, `${code} ${p.key}`).not.toBe(english(p.key, p.values));
        if (p.values?.max !== undefined) expect(message).toContain(String(p.values.max));
      }
    });
  }

  it('read as written in each language for the submit rules', () => {
    const t = (lng: string) => translators.get(lng)!;
    expect(t('en')('errors.answerRequired')).toBe('Please choose an answer.');
    expect(t('fr')('errors.answerRequired')).toBe('Veuillez choisir une réponse.');
    expect(t('pt')('errors.projectRequired')).toBe('Respondeu sim: descreva o novo projeto.');
    expect(t('fa')('errors.answerRequired')).toBe('لطفاً یک پاسخ را برگزینید.');
    expect(t('fr')('errors.tooLong', { max: 4000 })).toBe('Texte trop long\u00a0: 4000 caractères au maximum.');
    expect(t('fr')('problemsTitle', { count: 3 })).toBe('Veuillez corriger 3 problèmes\u00a0:');
    expect(t('fr')('problemsTitle', { count: 1 })).toBe('Veuillez corriger 1 problème\u00a0:');
  });
});
