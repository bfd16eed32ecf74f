/**
 * Read views for the coordinator workspace (content/editing-views.ts): every
 * workshop including drafts, one workshop with its agenda, materials and
 * roster for editing, and the tool summaries. Also the one roster write the
 * other routes lack: taking a participant off a workshop's roster (a typo,
 * a no-show).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as z from 'zod';
import { Id } from '../../shared/schemas/common';
import { AgendaSession, Material, ToolSummary, Workshop } from '../../shared/schemas/workshop';
import { Participant } from '../../shared/schemas/participant';
import { toolSummariesForEditing, workshopForEditing, workshopsForEditing } from '../content/editing-views';
import { removeFromRoster } from '../people/roster';
import { errorResponses, sendError } from './errors';

/** Record bookkeeping the editor shows ("saved 10:42") and uses to notice someone else's change. */
const Stamp = { version: z.number().int(), updatedAt: z.string() };

const WorkshopListItem = z.object({
  workshop: Workshop,
  ...Stamp,
  counts: z.object({
    sessions: z.number().int(),
    materials: z.number().int(),
    roster: z.number().int(),
  }),
});

const RosterParticipant = Participant.extend({
  /** Devices enrolled for this participant and not revoked. */
  devices: z.number().int(),
  /** Latest contact of any of the participant's devices; null if never enrolled. */
  lastContact: z.string().nullable(),
});

const WorkshopDetail = z.object({
  workshop: Workshop,
  ...Stamp,
  sessions: z.array(AgendaSession),
  materials: z.array(Material),
  roster: z.array(RosterParticipant),
});

export const coordinatorViewRoutes: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/coordinator/workshops',
    {
      schema: {
        summary: 'All workshops, drafts included, newest first, with counts of sessions, materials and roster',
        security: [{ bearer: [] }],
        response: { 200: z.object({ workshops: z.array(WorkshopListItem) }), ...errorResponses },
      },
    },
    async () => ({ workshops: await workshopsForEditing(app.vaka.db) }),
  );

  r.get(
    '/coordinator/workshops/:id',
    {
      schema: {
        summary: 'One workshop (draft or published) with its agenda sessions, materials and roster, for editing',
        security: [{ bearer: [] }],
        params: z.object({ id: Id }),
        response: { 200: WorkshopDetail, ...errorResponses },
      },
    },
    async (request, reply) => {
      const detail = await workshopForEditing(app.vaka.db, request.params.id);
      if (!detail) return sendError(reply, 404, 'not_found', 'No workshop with this id (it may have been withdrawn).');
      return detail;
    },
  );

  r.delete(
    '/coordinator/workshops/:id/roster/:participantId',
    {
      schema: {
        summary: "Take a participant off a workshop's roster (their devices lose its participants-only materials)",
        security: [{ bearer: [] }],
        params: z.object({ id: Id, participantId: Id }),
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const removed = await removeFromRoster(app.vaka.db, {
        workshopId: request.params.id,
        participantId: request.params.participantId,
      });
      if (!removed) return sendError(reply, 404, 'not_found', 'This participant is not on this workshop’s roster.');
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/coordinator/tool-summaries',
    {
      schema: {
        summary: 'All published tool summaries, by title',
        security: [{ bearer: [] }],
        response: {
          200: z.object({ toolSummaries: z.array(z.object({ toolSummary: ToolSummary, ...Stamp })) }),
          ...errorResponses,
        },
      },
    },
    async () => ({ toolSummaries: await toolSummariesForEditing(app.vaka.db) }),
  );
};
