/**
 * People: participants on a workshop roster. Coordinators create them; a
 * participant's devices learn their own record at enrolment.
 */
import * as z from 'zod';
import { Id, requiredText, text } from './common';
import { MemberCode } from './member';

export const Participant = z.object({
  id: Id,
  fullName: requiredText(200),
  email: z.email({ error: 'Must be an e-mail address.' }).max(320).nullable().default(null),
  memberCode: MemberCode,
  position: text(200).default(''),
});
export type Participant = z.infer<typeof Participant>;

/** One line of a workshop roster: this participant attended that workshop. */
export const RosterEntry = z.object({
  workshopId: Id,
  participantId: Id,
});
export type RosterEntry = z.infer<typeof RosterEntry>;
