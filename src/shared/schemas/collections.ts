/**
 * The synced collections: which schema each uses, who may write it, and
 * which pull scope its changes travel in. Server and client both read this
 * table, so adding a collection is one line here plus its schema.
 */
import * as z from 'zod';
import { AgendaSession, Material, ToolSummary, Workshop } from './workshop';
import { Evaluation, FollowUpAction, SurveyResponse } from './followup';
import { Participant } from './participant';

export const CollectionName = z.enum([
  'workshops',
  'agendaSessions',
  'materials',
  'toolSummaries',
  'participants',
  'followUpActions',
  'surveyResponses',
  'evaluations',
]);
export type CollectionName = z.infer<typeof CollectionName>;

/** Collections a participant's device may create, patch and delete. */
export const ParticipantCollection = z.enum(['followUpActions', 'surveyResponses', 'evaluations']);
export type ParticipantCollection = z.infer<typeof ParticipantCollection>;

export const COLLECTION_SCHEMAS = {
  workshops: Workshop,
  agendaSessions: AgendaSession,
  materials: Material,
  toolSummaries: ToolSummary,
  participants: Participant,
  followUpActions: FollowUpAction,
  surveyResponses: SurveyResponse,
  evaluations: Evaluation,
} as const satisfies Record<CollectionName, z.ZodType>;

export type CollectionRecord = {
  [K in CollectionName]: z.infer<(typeof COLLECTION_SCHEMAS)[K]>;
};

/**
 * Pull scopes. Each has its own cursor, bumped in commit order:
 *   catalog          workshops and tool summaries, open to everyone
 *   w:<workshopId>   a workshop's agenda and public materials, open to everyone
 *   wp:<workshopId>  its participants-only materials, for enrolled participants of it
 *   p:<participantId> one participant's own records, for that participant's devices
 */
export type Scope = 'catalog' | `w:${string}` | `wp:${string}` | `p:${string}`;
export const ScopeName = z.string().regex(/^(catalog|(w|wp|p):[0-9a-f-]{36})$/, { error: 'Unknown scope.' });

export const scopes = {
  catalog: 'catalog' as const,
  workshop: (workshopId: string): Scope => `w:${workshopId}`,
  workshopPrivate: (workshopId: string): Scope => `wp:${workshopId}`,
  participant: (participantId: string): Scope => `p:${participantId}`,
};
