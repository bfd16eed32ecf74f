/**
 * Turns a shared zod schema's complaints into messages in the coordinator's
 * language. The schemas (src/shared/schemas) are the same ones the server
 * checks, so a form that passes here is accepted there; their own messages
 * are English, so each issue is mapped to a translation key by its kind and
 * the field it is on.
 */
import type * as z from 'zod';

export interface FieldMessage {
  key: string;
  values?: Record<string, string | number>;
}

/** Field path as the forms name their inputs: "venue.city", "organisers". */
export type FieldErrors = Record<string, FieldMessage>;

type Issue = z.core.$ZodIssue;

const CUSTOM_BY_FIELD: Record<string, string> = {
  endDate: 'errors.endBeforeStart',
  venue: 'errors.venueRequired',
  end: 'errors.sessionEnd',
  timeZone: 'errors.timeZone',
};

const FORMAT_BY_FIELD: Record<string, string> = {
  start: 'errors.time',
  end: 'errors.time',
  slug: 'errors.slug',
  memberCode: 'errors.memberCode',
  language: 'errors.language',
  mediaType: 'errors.mediaType',
  sha256: 'errors.invalid',
};

function last(path: readonly PropertyKey[]): string {
  for (let i = path.length - 1; i >= 0; i -= 1) {
    const part = path[i];
    if (typeof part === 'string') return part;
  }
  return '';
}

export function issueMessage(issue: Issue): FieldMessage {
  const field = last(issue.path);
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string') return { key: 'errors.required' };
      if (issue.origin === 'array') return { key: 'errors.tooFew', values: { min: Number(issue.minimum) } };
      return { key: 'errors.min', values: { min: Number(issue.minimum) } };
    case 'too_big':
      if (issue.origin === 'string') return { key: 'errors.tooLong', values: { max: Number(issue.maximum) } };
      if (issue.origin === 'array') return { key: 'errors.tooMany', values: { max: Number(issue.maximum) } };
      return { key: 'errors.max', values: { max: Number(issue.maximum) } };
    case 'invalid_format':
      if (issue.format === 'date') return { key: 'errors.date' };
      if (issue.format === 'email') return { key: 'errors.email' };
      if (issue.format === 'url') return { key: 'errors.url' };
      return { key: FORMAT_BY_FIELD[field] ?? 'errors.invalid' };
    case 'invalid_type':
      return { key: issue.expected === 'number' || issue.expected === 'int' ? 'errors.number' : 'errors.required' };
    case 'custom':
      return { key: CUSTOM_BY_FIELD[field] ?? 'errors.invalid' };
    default:
      return { key: 'errors.invalid' };
  }
}

/** The first problem of each field, keyed by its dotted path. */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.filter((p) => typeof p === 'string' || typeof p === 'number').join('.');
    // An element of a list (organisers.1) is reported on the list's own field.
    const field = key.replace(/\.\d+$/, '');
    if (!(field in out)) out[field] = issueMessage(issue);
  }
  return out;
}
