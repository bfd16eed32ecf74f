/**
 * Words for a merge or a refusal: which field of which record, and what the
 * values were, written the way the form shows them ("Yes — fewer manual
 * checks", not {"answer":"yes",...}). The server merges field by field and
 * names the value it replaced; this makes that readable. Pure: the caller
 * passes `t` for the conflicts and form namespaces.
 */
import type { CollectionName } from '../../../shared/schemas/collections';

export type Translate = (key: string, values?: Record<string, string | number>) => string;

const KNOWN_FIELDS = new Set([
  'kind',
  'date',
  'description',
  'audience',
  'channel',
  'attendees',
  'evidence',
  'actionsTaken',
  'otherActions',
  'lessonsApplied',
  'directEffects',
  'workEfficiency',
  'newProjects',
  'status',
  'submittedAt',
  'overall',
  'relevance',
  'materials',
  'facilitation',
  'comment',
]);

export function fieldLabel(t: Translate, field: string): string {
  return KNOWN_FIELDS.has(field) ? t(`fields.${field}`) : field;
}

export function recordKindLabel(t: Translate, collection: CollectionName): string {
  switch (collection) {
    case 'followUpActions':
      return t('changes.recordAction');
    case 'surveyResponses':
      return t('changes.recordSurvey');
    case 'evaluations':
      return t('changes.recordEvaluation');
    default:
      return collection;
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function answerText(t: Translate, value: Record<string, unknown>): string {
  const answer = typeof value.answer === 'string' ? t(`answers.${value.answer}`) : t('changes.noAnswer');
  const details = typeof value.details === 'string' ? value.details.trim() : '';
  return details ? `${answer} — ${details}` : answer;
}

/** A field's value as a sentence fragment; '' and null read "(empty)". */
export function formatValue(t: Translate, field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return t('changes.empty');
  if (field === 'kind' && typeof value === 'string') return t(`kinds.${value}`);
  if (field === 'channel' && typeof value === 'string') return t(`channels.${value}`);
  if (field === 'status' && typeof value === 'string') return t(`survey.status.${value}`);
  if (Array.isArray(value)) {
    if (value.length === 0) return t('changes.empty');
    if (field === 'actionsTaken') return value.map((k) => t(`kinds.${String(k)}`)).join(', ');
    if (field === 'evidence') return value.map((a) => (isRecord(a) ? String(a.name) : String(a))).join(', ');
    return value.map(String).join(', ');
  }
  if (isRecord(value)) {
    if ('answer' in value) return answerText(t, value);
    if (field === 'lessonsApplied') {
      const parts = [
        [t('survey.operational'), value.operationalImprovement],
        [t('survey.strategic'), value.strategicEmpowerment],
      ]
        .filter(([, text]) => typeof text === 'string' && text.trim() !== '')
        .map(([label, text]) => `${String(label)}: ${String(text)}`);
      return parts.length ? parts.join(' · ') : t('changes.empty');
    }
    return Object.values(value).map(String).join(' · ');
  }
  return String(value);
}

/** A short name for a record, from whatever of it the device still has. */
export function recordTitle(t: Translate, collection: CollectionName, record: Record<string, unknown> | null): string {
  if (!record) return recordKindLabel(t, collection);
  if (collection === 'followUpActions' && typeof record.kind === 'string') {
    const description = typeof record.description === 'string' ? record.description : '';
    const short = description.length > 60 ? `${description.slice(0, 57)}…` : description;
    return short ? `${t(`kinds.${record.kind}`)}: ${short}` : t(`kinds.${record.kind}`);
  }
  if (collection === 'surveyResponses' && typeof record.revision === 'number')
    return t('changes.recordSurveyRevision', { revision: record.revision });
  return recordKindLabel(t, collection);
}
