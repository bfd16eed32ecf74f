/** The messages tab's view: latest state per participant and channel, replied and unsubscribed told apart; the timeline. */
import { describe, expect, it } from 'vitest';
import type { MessageState } from '../../shared/schemas/messages';
import { cellsByParticipant, roundTimeline } from './message-view';

const base: MessageState = {
  id: '00000000-0000-4000-8000-000000000001',
  participantId: '00000000-0000-4000-8000-0000000000aa',
  workshopId: '00000000-0000-4000-8000-0000000000ff',
  kind: 'invitation',
  key: 'invitation',
  channel: 'email',
  state: 'sent',
  sendAt: '2026-12-11T21:00:00.000Z',
  sentAt: '2026-12-11T21:00:01.000Z',
  attempts: 1,
  reason: null,
};

describe('cellsByParticipant', () => {
  it('keeps the latest message per channel and names why one was not sent', () => {
    const cells = cellsByParticipant([
      {
        ...base,
        id: '00000000-0000-4000-8000-000000000002',
        kind: 'reminder',
        key: 'reminder-7',
        sendAt: '2026-12-26T21:00:00.000Z',
        state: 'cancelled',
        sentAt: null,
        reason: 'Not sent: they replied on 2026-12-20.',
      },
      base,
      { ...base, id: '00000000-0000-4000-8000-000000000003', channel: 'push', state: 'failed', reason: 'Gone.' },
    ]);
    const row = cells.get(base.participantId)!;
    expect(row.email.state).toBe('replied');
    expect(row.push).toMatchObject({ state: 'failed', reason: 'Gone.' });
    const unsubscribed = cellsByParticipant([
      { ...base, state: 'cancelled', reason: 'Not sent: they unsubscribed from e-mail.' },
    ]);
    expect(unsubscribed.get(base.participantId)!.email.state).toBe('unsubscribed');
  });
});

describe('roundTimeline', () => {
  it('lists invitation, reminders, last call and feedback on the workshop calendar', () => {
    const w = { endDate: '2026-06-12', timeZone: 'Pacific/Fiji', surveyOpensAfterMonths: 6, surveyDueAfterDays: 21 };
    expect(roundTimeline(w, [2, 7], null)).toEqual([
      { kind: 'invitation', on: '2026-12-12' },
      { kind: 'reminder', on: '2026-12-26', daysBefore: 7 },
      { kind: 'reminder', on: '2026-12-31', daysBefore: 2 },
      { kind: 'last-call', on: '2027-01-02' },
      { kind: 'feedback', on: null },
    ]);
  });
});
