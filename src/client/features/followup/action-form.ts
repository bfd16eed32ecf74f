/**
 * The follow-up action form as plain data: what the inputs hold (strings, so
 * a half-typed number is not lost), how a record fills it, how it becomes the
 * fields the write layer saves, and the translated problems of a draft. Pure,
 * so the rules are tested without a browser.
 */
import { FollowUpAction, type ActionKind, ShareChannel } from '../../../shared/schemas/followup';
import type { CreateInput } from '../../../device/db/writes';
import { problemsFromZod, type FieldProblem } from '../../ui/field-messages';

export type ShareChannelValue = (typeof ShareChannel.options)[number];
export const SHARE_CHANNELS = ShareChannel.options;

export interface ActionDraft {
  kind: ActionKind | '';
  date: string;
  description: string;
  audience: string;
  channel: ShareChannelValue | '';
  /** As typed; converted on save. */
  attendees: string;
}

export function emptyDraft(today: string, kind: ActionKind | '' = ''): ActionDraft {
  return { kind, date: today, description: '', audience: '', channel: '', attendees: '' };
}

export function draftFromRecord(r: FollowUpAction): ActionDraft {
  return {
    kind: r.kind,
    date: r.date,
    description: r.description,
    audience: r.audience,
    channel: r.channel ?? '',
    attendees: r.attendees === null ? '' : String(r.attendees),
  };
}

/**
 * A "shared training materials" entry started from the share sheet. The
 * description is written in the participant's language by the caller
 * (`description`), because it is their own record, not a system message.
 */
export function draftFromShare(today: string, description: string): ActionDraft {
  return { ...emptyDraft(today, 'share-materials'), description };
}

/** Whether a field belongs to the chosen kind (the form shows only these). */
export function showsAudience(kind: ActionDraft['kind']): boolean {
  return kind === 'share-materials' || kind === 'make-recommendations' || kind === 'submit-report';
}
export function showsChannel(kind: ActionDraft['kind']): boolean {
  return kind === 'share-materials';
}
export function showsAttendees(kind: ActionDraft['kind']): boolean {
  return kind === 'in-house-workshop';
}

type ActionFields = Omit<CreateInput<'followUpActions'>, 'workshopId' | 'evidence'>;

/**
 * The fields to save. Fields that do not belong to the chosen kind are
 * cleared, so switching from "in-house workshop" to "other" does not keep a
 * hidden attendee count. A number that is not a whole number stays as
 * typed text, which the schema then refuses with a message at the field.
 */
export function fieldsOf(draft: ActionDraft): ActionFields {
  const attendees = draft.attendees.trim();
  const parsed = /^\d+$/.test(attendees) ? Number(attendees) : attendees === '' ? null : Number.NaN;
  return {
    kind: draft.kind as ActionKind,
    date: draft.date,
    description: draft.description,
    audience: showsAudience(draft.kind) ? draft.audience : '',
    channel: showsChannel(draft.kind) && draft.channel !== '' ? draft.channel : null,
    attendees: showsAttendees(draft.kind) ? parsed : null,
  };
}

/** Problems of the draft as the shared schema sees them (ids are placeholders: they are not the participant's to fix). */
export function actionProblems(draft: ActionDraft): FieldProblem[] {
  const placeholder = '00000000-0000-4000-8000-000000000000';
  const parsed = FollowUpAction.safeParse({
    ...fieldsOf(draft),
    kind: draft.kind === '' ? undefined : draft.kind,
    id: placeholder,
    participantId: placeholder,
    workshopId: placeholder,
  });
  if (parsed.success) return [];
  return problemsFromZod(parsed.error).map((p) => (p.path === 'kind' ? { ...p, key: 'errors.chooseKind' } : p));
}
