/** The action form's rules: fields per kind, conversion to a record, and the problems a draft shows. */
import { describe, expect, it } from 'vitest';
import { actionProblems, draftFromRecord, draftFromShare, emptyDraft, fieldsOf } from './action-form';
import { receiptOf } from '../../content/receipts';

describe('action form', () => {
  it('keeps only the fields of the chosen kind', () => {
    const draft = {
      ...emptyDraft('2024-07-01', 'in-house-workshop'),
      description: 'Half-day session',
      audience: 'left over',
      channel: 'intranet' as const,
      attendees: ' 14 ',
    };
    expect(fieldsOf(draft)).toEqual({
      kind: 'in-house-workshop',
      date: '2024-07-01',
      description: 'Half-day session',
      audience: '',
      channel: null,
      attendees: 14,
    });
    expect(fieldsOf({ ...draft, kind: 'share-materials' })).toMatchObject({
      audience: 'left over',
      channel: 'intranet',
      attendees: null,
    });
  });

  it('names each problem by field, with its translation key', () => {
    expect(actionProblems(emptyDraft('2024-07-01'))).toEqual([
      { path: 'kind', key: 'errors.chooseKind' },
      { path: 'description', key: 'errors.required' },
    ]);
    const bad = { ...emptyDraft('1 July', 'in-house-workshop'), description: 'x', attendees: '12 people' };
    expect(actionProblems(bad)).toEqual([
      { path: 'date', key: 'errors.date' },
      { path: 'attendees', key: 'errors.attendees' },
    ]);
    expect(actionProblems({ ...bad, date: '2024-07-01', attendees: '0' })).toEqual([
      { path: 'attendees', key: 'errors.attendees' },
    ]);
    expect(actionProblems({ ...emptyDraft('2024-07-01', 'other'), description: 'a'.repeat(2001) })).toEqual([
      { path: 'description', key: 'errors.tooLong', values: { max: 2000 } },
    ]);
    expect(actionProblems({ ...emptyDraft('2024-07-01', 'submit-report'), description: 'Mission report' })).toEqual([]);
  });

  it('starts a "shared training materials" entry from a share, and round-trips a record', () => {
    const draft = draftFromShare('2024-07-02', 'Shared “HS 2022 slides” with colleagues.');
    expect(draft).toMatchObject({ kind: 'share-materials', date: '2024-07-02' });
    const record = {
      id: '00000000-0000-4000-8000-000000000001',
      participantId: '00000000-0000-4000-8000-000000000002',
      workshopId: '00000000-0000-4000-8000-000000000003',
      kind: 'in-house-workshop' as const,
      date: '2024-08-01',
      description: 'Session',
      audience: '',
      channel: null,
      attendees: 9,
      evidence: [],
    };
    expect(draftFromRecord(record)).toEqual({
      kind: 'in-house-workshop',
      date: '2024-08-01',
      description: 'Session',
      audience: '',
      channel: '',
      attendees: '9',
    });
  });
});

describe('receipts', () => {
  it('says "saved on this phone" while edits wait, "sent" after, and counts files still to upload', () => {
    expect(receiptOf(2, [])).toEqual({ text: 'saved', filesWaiting: 0, bytesWaiting: 0, filesRefused: 0 });
    expect(
      receiptOf(0, [
        { byteSize: 1000, bytesSent: 400, failure: null },
        { byteSize: 50, bytesSent: 0, failure: 'too-large' },
      ]),
    ).toEqual({ text: 'sent', filesWaiting: 1, bytesWaiting: 600, filesRefused: 1 });
  });
});
