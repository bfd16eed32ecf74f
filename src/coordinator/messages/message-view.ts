/**
 * What the coordinator's messages tab shows, from the server's list of
 * message jobs (GET /api/v1/messages): per participant and channel the
 * state of their latest message, where "cancelled" is told apart as replied
 * or unsubscribed by the reason the server wrote (server/messages/service.ts),
 * and the round's timeline from the workshop's survey window. Pure.
 */
import { surveyWindow } from '../../shared/domain/survey-window';
import { addDays } from '../../shared/domain/time-zones';
import type { MessageChannel, MessageState } from '../../shared/schemas/messages';
import type { Workshop } from '../../shared/schemas/workshop';

export type ShownState =
  'none' | 'scheduled' | 'sending' | 'sent' | 'failed' | 'replied' | 'unsubscribed' | 'cancelled';

export interface ChannelCell {
  state: ShownState;
  /** The server's reason, for a failure or a message not sent. */
  reason: string | null;
  /** The latest message on this channel. */
  latest: MessageState | null;
}

export function shownState(m: MessageState): ShownState {
  if (m.state !== 'cancelled') return m.state;
  const reason = m.reason ?? '';
  if (reason.startsWith('Not sent: they replied')) return 'replied';
  if (/unsubscribed|switched/.test(reason)) return 'unsubscribed';
  return 'cancelled';
}

/** The latest message per participant and channel, by scheduled time. */
export function cellsByParticipant(
  messages: readonly MessageState[],
): Map<string, Record<MessageChannel, ChannelCell>> {
  const out = new Map<string, Record<MessageChannel, ChannelCell>>();
  const empty = (): ChannelCell => ({ state: 'none', reason: null, latest: null });
  for (const m of [...messages].sort((a, b) => a.sendAt.localeCompare(b.sendAt))) {
    const row = out.get(m.participantId) ?? { email: empty(), push: empty() };
    row[m.channel] = { state: shownState(m), reason: m.reason, latest: m };
    out.set(m.participantId, row);
  }
  return out;
}

export interface TimelineStep {
  kind: 'invitation' | 'reminder' | 'last-call' | 'feedback';
  /** Calendar day in the workshop's zone; null for feedback not yet published. */
  on: string | null;
  /** For a reminder: days before the due date. */
  daysBefore?: number;
}

export function roundTimeline(
  workshop: Pick<Workshop, 'endDate' | 'timeZone' | 'surveyOpensAfterMonths' | 'surveyDueAfterDays'>,
  reminderDays: readonly number[],
  resultsPublishedAt: string | null,
): TimelineStep[] {
  const { opensOn, dueOn } = surveyWindow(workshop, new Date(0));
  const reminders = [...reminderDays]
    .sort((a, b) => b - a)
    .map((d) => ({ kind: 'reminder' as const, on: addDays(dueOn, -d), daysBefore: d }))
    .filter((r) => r.on > opensOn);
  return [
    { kind: 'invitation', on: opensOn },
    ...reminders,
    { kind: 'last-call', on: dueOn },
    { kind: 'feedback', on: resultsPublishedAt ? resultsPublishedAt.slice(0, 10) : null },
  ];
}
