/** Sorting the roster by what a coordinator can do, and the reminder e-mail. */
import { describe, expect, it } from 'vitest';
import type { ParticipantReply, ReplySummary } from '../../shared/domain/replies';
import { bucketOf, groupReplies, reminderList, reminderMailto } from './reply-groups';

const opens = new Date('2022-01-01T00:00:00Z');
const later = new Date('2022-01-20T00:00:00Z');

function person(over: Partial<ParticipantReply>): ParticipantReply {
  return {
    participantId: 'x',
    fullName: 'X',
    email: null,
    memberCode: 'FJ',
    subRegion: 'PI',
    state: 'none',
    submittedAt: null,
    lastContact: null,
    ...over,
  };
}

describe('reply buckets', () => {
  it('tells an unsynced phone from an unanswered survey by the last contact', () => {
    expect(bucketOf(person({ state: 'submitted' }), opens, later)).toBe('submitted');
    expect(bucketOf(person({ state: 'draft', lastContact: '2021-01-01T00:00:00Z' }), opens, later)).toBe('started');
    expect(bucketOf(person({ lastContact: '2021-12-31T23:59:00Z' }), opens, later)).toBe('unsynced');
    expect(bucketOf(person({ lastContact: '2022-01-02T00:00:00Z' }), opens, later)).toBe('notAnswered');
    expect(bucketOf(person({}), opens, later)).toBe('noDevice');
  });

  it('suspects no phone before the survey has opened', () => {
    const before = new Date('2021-12-01T00:00:00Z');
    expect(bucketOf(person({ lastContact: '2021-11-30T00:00:00Z' }), opens, before)).toBe('notAnswered');
  });

  it('puts everyone in exactly one group', () => {
    const participants = [
      person({ participantId: 'a', state: 'submitted' }),
      person({ participantId: 'b' }),
      person({ participantId: 'c', lastContact: '2022-02-01T00:00:00Z' }),
    ];
    const groups = groupReplies({ participants }, opens, later);
    expect(Object.values(groups).flat()).toHaveLength(3);
    expect(groups.noDevice.map((p) => p.participantId)).toEqual(['b']);
  });
});

describe('reminders', () => {
  const summary = {
    participants: [
      person({ email: 'b@example.org' }),
      person({ email: 'A@example.org', state: 'draft' }),
      person({ email: 'done@example.org', state: 'submitted' }),
      person({ email: null }),
      person({ email: 'a@example.org' }),
    ],
  } as ReplySummary;

  it('lists non-respondents with an address, once each', () => {
    expect(reminderList(summary)).toEqual(['a@example.org', 'b@example.org']);
  });

  it('puts recipients in Bcc and encodes subject and body', () => {
    const { href, tooLong } = reminderMailto(['a@example.org', 'b+x@example.org'], 'Survey & you', 'Line 1\nLine 2');
    expect(href).toBe(
      'mailto:?bcc=a%40example.org,b%2Bx%40example.org&subject=Survey%20%26%20you&body=Line%201%0ALine%202',
    );
    expect(tooLong).toBe(false);
    const many = Array.from({ length: 100 }, (_, i) => `participant${i}@example.org`);
    expect(reminderMailto(many, 's', 'b').tooLong).toBe(true);
  });
});
