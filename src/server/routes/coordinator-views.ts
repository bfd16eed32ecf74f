/**
 * Read views for the coordinator workspace: every workshop including drafts
 * (devices only ever receive published ones through sync), one workshop with
 * its agenda, materials and roster for editing, and the tool summaries.
 * Also the one roster write the other routes lack: taking a participant off
 * a workshop's roster (a typo, a no-show).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as z from 'zod';
import { Id } from '../../shared/schemas/common';
import { AgendaSession, Material, ToolSummary, Workshop } from '../../shared/schemas/workshop';
import { Participant } from '../../shared/schemas/participant';
import type { Db } from '../sync/store';
import { errorResponses, requireCoordinator, sendError } from './errors';

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

interface LiveRow {
  id: string;
  data: string;
  seq: number;
  updated_at: string;
  workshop_id: string | null;
}

async function liveRows(db: Db, collection: string, workshopId?: string): Promise<LiveRow[]> {
  let q = db
    .selectFrom('records')
    .select(['id', 'data', 'seq', 'updated_at', 'workshop_id'])
    .where('collection', '=', collection)
    .where('deleted', '=', 0);
  if (workshopId !== undefined) q = q.where('workshop_id', '=', workshopId);
  return q.execute();
}

function countBy(rows: readonly { workshop_id: string | null }[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) if (r.workshop_id) out.set(r.workshop_id, (out.get(r.workshop_id) ?? 0) + 1);
  return out;
}

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
    async (request, reply) => {
      if (!requireCoordinator(reply, request.caller)) return reply;
      const db = app.vaka.db;
      const workshops = await liveRows(db, 'workshops');
      const sessions = countBy(await liveRows(db, 'agendaSessions'));
      const materials = countBy(await liveRows(db, 'materials'));
      const roster = await db
        .selectFrom('roster')
        .select(['workshop_id', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('workshop_id')
        .execute();
      const rosterCount = new Map(roster.map((x) => [x.workshop_id, Number(x.n)]));
      const items = workshops.map((row) => ({
        workshop: Workshop.parse(JSON.parse(row.data)),
        version: Number(row.seq),
        updatedAt: row.updated_at,
        counts: {
          sessions: sessions.get(row.id) ?? 0,
          materials: materials.get(row.id) ?? 0,
          roster: rosterCount.get(row.id) ?? 0,
        },
      }));
      items.sort(
        (a, b) =>
          b.workshop.startDate.localeCompare(a.workshop.startDate) || a.workshop.title.localeCompare(b.workshop.title),
      );
      return { workshops: items };
    },
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
      if (!requireCoordinator(reply, request.caller)) return reply;
      const db = app.vaka.db;
      const id = request.params.id;
      const row = await db
        .selectFrom('records')
        .select(['data', 'seq', 'updated_at'])
        .where('id', '=', id)
        .where('collection', '=', 'workshops')
        .where('deleted', '=', 0)
        .executeTakeFirst();
      if (!row) return sendError(reply, 404, 'not_found', 'No workshop with this id (it may have been withdrawn).');

      const sessions = (await liveRows(db, 'agendaSessions', id))
        .map((s) => AgendaSession.parse(JSON.parse(s.data)))
        .sort((a, b) => a.date.localeCompare(b.date) || a.start.localeCompare(b.start) || a.end.localeCompare(b.end));
      const materials = (await liveRows(db, 'materials', id))
        .map((m) => Material.parse(JSON.parse(m.data)))
        .sort((a, b) => a.title.localeCompare(b.title));

      const rosterIds = (
        await db.selectFrom('roster').select('participant_id').where('workshop_id', '=', id).execute()
      ).map((x) => x.participant_id);
      const people = rosterIds.length
        ? await db
            .selectFrom('records')
            .select('data')
            .where('collection', '=', 'participants')
            .where('id', 'in', rosterIds)
            .execute()
        : [];
      const devices = rosterIds.length
        ? await db
            .selectFrom('devices')
            .select(['participant_id', 'last_seen_at', 'revoked_at'])
            .where('participant_id', 'in', rosterIds)
            .execute()
        : [];
      const roster = people
        .map((p) => Participant.parse(JSON.parse(p.data)))
        .map((p) => {
          const own = devices.filter((d) => d.participant_id === p.id);
          const seen = own.map((d) => d.last_seen_at).filter((x): x is string => x !== null);
          return {
            ...p,
            devices: own.filter((d) => d.revoked_at === null).length,
            lastContact: seen.length ? seen.reduce((a, b) => (a > b ? a : b)) : null,
          };
        })
        .sort((a, b) => a.memberCode.localeCompare(b.memberCode) || a.fullName.localeCompare(b.fullName));

      return {
        workshop: Workshop.parse(JSON.parse(row.data)),
        version: Number(row.seq),
        updatedAt: row.updated_at,
        sessions,
        materials,
        roster,
      };
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
      if (!requireCoordinator(reply, request.caller)) return reply;
      const res = await app.vaka.db
        .deleteFrom('roster')
        .where('workshop_id', '=', request.params.id)
        .where('participant_id', '=', request.params.participantId)
        .executeTakeFirst();
      if (Number(res.numDeletedRows) === 0)
        return sendError(reply, 404, 'not_found', 'This participant is not on this workshop’s roster.');
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
    async (request, reply) => {
      if (!requireCoordinator(reply, request.caller)) return reply;
      const rows = await liveRows(app.vaka.db, 'toolSummaries');
      const items = rows
        .map((row) => ({
          toolSummary: ToolSummary.parse(JSON.parse(row.data)),
          version: Number(row.seq),
          updatedAt: row.updated_at,
        }))
        .sort((a, b) => a.toolSummary.title.localeCompare(b.toolSummary.title));
      return { toolSummaries: items };
    },
  );
};
