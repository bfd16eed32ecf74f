/** Merge and refusal notes read like the form, not like JSON. */
import { describe, expect, it } from 'vitest';
import { fieldLabel, formatValue, recordTitle, type Translate } from './describe';

const strings: Record<string, string> = {
  'fields.description': 'Description',
  'fields.directEffects': 'Direct effects',
  'kinds.share-materials': 'Shared training materials',
  'kinds.other': 'Other action',
  'channels.intranet': 'Intranet',
  'answers.yes': 'Yes',
  'answers.not-yet': 'Not yet',
  'changes.empty': '(empty)',
  'changes.noAnswer': '(no answer)',
  'changes.recordSurveyRevision': '6-month survey, revision {{revision}}',
  'changes.recordEvaluation': 'Workshop evaluation',
  'survey.operational': '(a) Operational improvement',
  'survey.strategic': '(b) Strategic empowerment',
  'survey.status.submitted': 'Submitted',
};
const t: Translate = (key, values) =>
  (strings[key] ?? `!${key}`).replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(values?.[k] ?? ''));

describe('describing a merge', () => {
  it('labels known fields and leaves unknown ones as they are', () => {
    expect(fieldLabel(t, 'description')).toBe('Description');
    expect(fieldLabel(t, 'somethingNew')).toBe('somethingNew');
  });

  it('writes values the way the form shows them', () => {
    expect(formatValue(t, 'description', '')).toBe('(empty)');
    expect(formatValue(t, 'channel', null)).toBe('(empty)');
    expect(formatValue(t, 'kind', 'share-materials')).toBe('Shared training materials');
    expect(formatValue(t, 'channel', 'intranet')).toBe('Intranet');
    expect(formatValue(t, 'actionsTaken', ['share-materials', 'other'])).toBe(
      'Shared training materials, Other action',
    );
    expect(formatValue(t, 'evidence', [{ name: 'photo.jpg' }, { name: 'report.pdf' }])).toBe('photo.jpg, report.pdf');
    expect(formatValue(t, 'directEffects', { answer: 'yes', details: 'More audits' })).toBe('Yes — More audits');
    expect(formatValue(t, 'directEffects', { answer: null, details: '' })).toBe('(no answer)');
    expect(
      formatValue(t, 'lessonsApplied', { operationalImprovement: 'Faster release', strategicEmpowerment: '' }),
    ).toBe('(a) Operational improvement: Faster release');
    expect(formatValue(t, 'status', 'submitted')).toBe('Submitted');
    expect(formatValue(t, 'attendees', 12)).toBe('12');
  });

  it('names the record', () => {
    expect(recordTitle(t, 'followUpActions', { kind: 'other', description: 'Outreach to brokers' })).toBe(
      'Other action: Outreach to brokers',
    );
    expect(recordTitle(t, 'followUpActions', { kind: 'other', description: 'x'.repeat(80) })).toHaveLength(
      'Other action: '.length + 58,
    );
    expect(recordTitle(t, 'surveyResponses', { revision: 2 })).toBe('6-month survey, revision 2');
    expect(recordTitle(t, 'evaluations', null)).toBe('Workshop evaluation');
  });
});
