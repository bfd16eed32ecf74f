/**
 * What participants record after a workshop: follow-up actions as they
 * happen, the 6-month survey response, and the end-of-workshop evaluation.
 * The six action kinds and the survey questions follow the ROCB A/P
 * questionnaire (Good Practice Report, Appendix 1 and Tables 2-7).
 */
import * as z from 'zod';
import { Id, IsoDate, Sha256, Timestamp, requiredText, text } from './common';

export const ActionKind = z.enum([
  'share-materials',
  'submit-report',
  'make-recommendations',
  'in-house-workshop',
  'operational-manuals',
  'other',
]);
export type ActionKind = z.infer<typeof ActionKind>;
export const ACTION_KINDS = ActionKind.options;

export const ShareChannel = z.enum(['intranet', 'common-drive', 'email', 'meeting', 'printed', 'other']);

/** An evidence file attached to a record; its bytes travel separately (resumable upload). */
export const Attachment = z.object({
  sha256: Sha256,
  name: requiredText(200),
  mediaType: z.string().regex(/^[a-z]+\/[a-z0-9.+-]+$/),
  byteSize: z
    .number()
    .int()
    .positive()
    .max(50 * 1024 * 1024),
});
export type Attachment = z.infer<typeof Attachment>;

export const FollowUpAction = z.object({
  id: Id,
  participantId: Id,
  workshopId: Id,
  kind: ActionKind,
  date: IsoDate,
  description: requiredText(2000),
  /** With whom: "PCA unit colleagues", "Deputy Commissioner". */
  audience: text(300).default(''),
  channel: ShareChannel.nullable().default(null),
  /** For in-house workshops. */
  attendees: z.number().int().min(1).max(100000).nullable().default(null),
  evidence: z.array(Attachment).max(10).default([]),
});
export type FollowUpAction = z.infer<typeof FollowUpAction>;

export const YesNo = z.enum(['yes', 'no']);
export const YesNoNotYet = z.enum(['yes', 'no', 'not-yet']);

/**
 * Answer to a yes/no question with its example or description. `answer` is
 * null while a draft leaves it open; a submitted response must answer.
 */
const answered = <T extends z.ZodType<string>>(answer: T) =>
  z.object({ answer: answer.nullable().default(null), details: text(4000).default('') });

export const SurveyStatus = z.enum(['draft', 'submitted']);

export const SurveyResponseFields = z.object({
  id: Id,
  participantId: Id,
  workshopId: Id,
  /** 1 for the first answer; an amendment of a submitted response is a new record with revision + 1. */
  revision: z.number().int().positive().default(1),
  supersedes: Id.nullable().default(null),
  status: SurveyStatus.default('draft'),
  actionsTaken: z.array(ActionKind).max(6).default([]),
  otherActions: text(2000).default(''),
  lessonsApplied: z
    .object({ operationalImprovement: text(4000).default(''), strategicEmpowerment: text(4000).default('') })
    .prefault({}),
  directEffects: answered(YesNoNotYet).prefault({}),
  workEfficiency: answered(YesNo).prefault({}),
  newProjects: answered(YesNo).prefault({}),
  submittedAt: Timestamp.nullable().default(null),
});

/** Rules that only bind once the participant presses Submit. */
export const SurveyResponse = SurveyResponseFields.superRefine((r, ctx) => {
  if (r.status !== 'submitted') return;
  for (const key of ['directEffects', 'workEfficiency', 'newProjects'] as const) {
    if (r[key].answer === null)
      ctx.addIssue({ code: 'custom', path: [key, 'answer'], message: 'Please answer this question.' });
  }
  if (r.actionsTaken.includes('other') && r.otherActions.trim() === '') {
    ctx.addIssue({ code: 'custom', path: ['otherActions'], message: 'Describe the other actions you took.' });
  }
  if (r.newProjects.answer === 'yes' && r.newProjects.details.trim() === '') {
    ctx.addIssue({ code: 'custom', path: ['newProjects', 'details'], message: 'Describe the new project.' });
  }
  if (r.submittedAt === null) {
    ctx.addIssue({ code: 'custom', path: ['submittedAt'], message: 'A submitted response needs its submission time.' });
  }
});
export type SurveyResponse = z.infer<typeof SurveyResponse>;

const rating = z.number().int().min(1, { error: 'Rate from 1 to 5.' }).max(5, { error: 'Rate from 1 to 5.' });

export const Evaluation = z.object({
  id: Id,
  participantId: Id,
  workshopId: Id,
  overall: rating,
  relevance: rating,
  materials: rating,
  facilitation: rating,
  comment: text(2000).default(''),
});
export type Evaluation = z.infer<typeof Evaluation>;
