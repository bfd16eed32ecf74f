/**
 * A content pack: JSON files of records plus the material files they name,
 * loaded by the server on first start (demo content) or by `npm run admin --
 * import-pack`. Each JSON file holds any subset of the arrays below.
 */
import * as z from 'zod';
import { AgendaSession, Material, ToolSummary, Workshop } from './workshop';
import { Participant, RosterEntry } from './participant';
import { Evaluation, FollowUpAction, SurveyResponse } from './followup';

export const PackMaterial = Material.extend({
  /** Path of the file relative to the pack folder; its bytes must match byteSize and sha256. */
  file: z
    .string()
    .regex(/^[a-zA-Z0-9._/-]+$/)
    .refine((p) => !p.split('/').includes('..'), { error: 'No ".." in paths.' }),
});

export const ContentPackFile = z
  .object({
    formatVersion: z.literal(1),
    description: z.string().optional(),
    workshops: z.array(Workshop).default([]),
    agendaSessions: z.array(AgendaSession).default([]),
    materials: z.array(PackMaterial).default([]),
    toolSummaries: z.array(ToolSummary).default([]),
    participants: z.array(Participant).default([]),
    roster: z.array(RosterEntry).default([]),
    followUpActions: z.array(FollowUpAction).default([]),
    surveyResponses: z.array(SurveyResponse).default([]),
    evaluations: z.array(Evaluation).default([]),
  })
  .strict();
export type ContentPackFile = z.infer<typeof ContentPackFile>;
