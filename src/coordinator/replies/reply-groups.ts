/**
 * Sorting a workshop's roster for the replies screen into what the
 * coordinator can act on. The server knows three states (submitted, a draft
 * has synced, nothing); the devices' last contact splits "nothing" further:
 * a phone not heard from since the survey opened may hold an answer that has
 * not been sent yet, while one that synced since then has not been answered.
 * Also the reminder e-mail (mailto: with every address in Bcc). Pure.
 */
import type { ParticipantReply, ReplySummary } from '../../shared/domain/replies';
import { reminderRecipients } from '../../shared/domain/replies';

export type ReplyBucket = 'submitted' | 'started' | 'unsynced' | 'notAnswered' | 'noDevice';

export const REPLY_BUCKETS: readonly ReplyBucket[] = ['submitted', 'started', 'unsynced', 'notAnswered', 'noDevice'];

/** Before the survey opens nobody can have answered, so no phone is suspected of holding an answer. */
export function bucketOf(p: ParticipantReply, surveyOpensAt: Date, now: Date): ReplyBucket {
  if (p.state === 'submitted') return 'submitted';
  if (p.state === 'draft') return 'started';
  if (p.lastContact === null) return 'noDevice';
  return now >= surveyOpensAt && new Date(p.lastContact) < surveyOpensAt ? 'unsynced' : 'notAnswered';
}

export function groupReplies(
  summary: Pick<ReplySummary, 'participants'>,
  surveyOpensAt: Date,
  now: Date,
): Record<ReplyBucket, ParticipantReply[]> {
  const out: Record<ReplyBucket, ParticipantReply[]> = {
    submitted: [],
    started: [],
    unsynced: [],
    notAnswered: [],
    noDevice: [],
  };
  for (const p of summary.participants) out[bucketOf(p, surveyOpensAt, now)].push(p);
  return out;
}

/** Everyone who has not submitted and has an address, once each, in a stable order. */
export function reminderList(summary: ReplySummary): string[] {
  return [...new Set(reminderRecipients(summary).map((e) => e.trim().toLowerCase()))].sort();
}

/**
 * A mailto: link addressed to nobody with the recipients in Bcc, so
 * participants do not see each other's addresses. Some mail programs cut
 * links beyond about 2,000 characters; `tooLong` tells the screen to suggest
 * the copied list instead.
 */
export function reminderMailto(
  recipients: readonly string[],
  subject: string,
  body: string,
): { href: string; tooLong: boolean } {
  const params = [
    `bcc=${recipients.map(encodeURIComponent).join(',')}`,
    `subject=${encodeURIComponent(subject)}`,
    `body=${encodeURIComponent(body)}`,
  ];
  const href = `mailto:?${params.join('&')}`;
  return { href, tooLong: href.length > 2000 };
}
