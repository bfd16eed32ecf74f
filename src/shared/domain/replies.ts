/**
 * Who has answered a workshop's follow-up survey, in three states the
 * coordinator can act on: submitted and on the server; started (a draft has
 * synced, so the participant is answering on a device); not started. Rates
 * are against the roster, by administration and by sub-region. Pure.
 */
import type { Participant } from '../schemas/participant';
import type { SurveyResponse } from '../schemas/followup';
import type { SubRegion } from '../schemas/member';
import { memberByCode } from './members';
import { share, type Share } from './survey-report';

export type ReplyState = 'submitted' | 'draft' | 'none';

export interface ParticipantReply {
  participantId: string;
  fullName: string;
  email: string | null;
  memberCode: string;
  subRegion: SubRegion | null;
  state: ReplyState;
  submittedAt: string | null;
  /** Latest contact of any of the participant's devices; null if never enrolled. */
  lastContact: string | null;
}

export interface ReplyGroup {
  key: string;
  roster: number;
  submitted: number;
  draft: number;
  rate: Share;
}

export interface ReplySummary {
  participants: ParticipantReply[];
  totals: ReplyGroup;
  byAdministration: ReplyGroup[];
  bySubRegion: ReplyGroup[];
}

export function replySummary(
  workshopId: string,
  roster: readonly Participant[],
  responses: readonly SurveyResponse[],
  lastContactByParticipant: ReadonlyMap<string, string>,
): ReplySummary {
  const mine = responses.filter((r) => r.workshopId === workshopId);
  const participants = roster
    .map((p): ParticipantReply => {
      const own = mine.filter((r) => r.participantId === p.id);
      const submitted = own.filter((r) => r.status === 'submitted').sort((a, b) => b.revision - a.revision)[0];
      return {
        participantId: p.id,
        fullName: p.fullName,
        email: p.email,
        memberCode: p.memberCode,
        subRegion: memberByCode(p.memberCode)?.subRegion ?? null,
        state: submitted ? 'submitted' : own.length > 0 ? 'draft' : 'none',
        submittedAt: submitted?.submittedAt ?? null,
        lastContact: lastContactByParticipant.get(p.id) ?? null,
      };
    })
    .sort((a, b) => a.memberCode.localeCompare(b.memberCode) || a.fullName.localeCompare(b.fullName));
  const group = (key: string, list: ParticipantReply[]): ReplyGroup => {
    const submitted = list.filter((p) => p.state === 'submitted').length;
    return {
      key,
      roster: list.length,
      submitted,
      draft: list.filter((p) => p.state === 'draft').length,
      rate: share(submitted, list.length),
    };
  };
  const groupBy = (keyOf: (p: ParticipantReply) => string) => {
    const map = new Map<string, ParticipantReply[]>();
    for (const p of participants) map.set(keyOf(p), [...(map.get(keyOf(p)) ?? []), p]);
    return [...map.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, list]) => group(k, list));
  };
  return {
    participants,
    totals: group('total', participants),
    byAdministration: groupBy((p) => p.memberCode),
    bySubRegion: groupBy((p) => p.subRegion ?? 'unknown'),
  };
}

/** E-mail addresses of those who have not submitted, ready to paste into a reminder. */
export function reminderRecipients(summary: ReplySummary): string[] {
  return summary.participants.filter((p) => p.state !== 'submitted' && p.email).map((p) => p.email!);
}
