/**
 * Coordinator publishing: create, replace and withdraw workshops, agenda
 * sessions, materials and tool summaries. Every write goes through the same
 * versioned record store as device sync, so devices receive it as a delta
 * (or a tombstone) on their next sync.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as z from 'zod';
import { Id } from '../../shared/schemas/common';
import { AgendaSession, Material, ToolSummary, Workshop } from '../../shared/schemas/workshop';
import type { CollectionName } from '../../shared/schemas/collections';
import { getRecord } from '../sync/store';
import { putRecord, tombstoneRecord } from '../sync/publish';
import { errorResponses, requireCoordinator, sendError } from './errors';
import { refuseMediaType } from '../media-types';

const Saved = z.object({ id: Id, version: z.number().int() });

export const publishingRoutes: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const now = () => app.vaka.now().toISOString();

  async function workshopExists(id: string): Promise<boolean> {
    return (await liveWorkshop(id)) !== null;
  }

  async function liveWorkshop(id: string): Promise<Workshop | null> {
    const w = await getRecord(app.vaka.db, id);
    return w && w.collection === 'workshops' && !w.deleted ? Workshop.parse(w.data) : null;
  }

  /** Links between records are checked here as the content-pack loader checks them, so phones never get dangling ones. */
  async function unknownToolSlug(slugs: readonly string[]): Promise<string | null> {
    if (slugs.length === 0) return null;
    const rows = await app.vaka.db
      .selectFrom('records')
      .select('data')
      .where('collection', '=', 'toolSummaries')
      .where('deleted', '=', 0)
      .execute();
    const known = new Set(rows.map((row) => String((JSON.parse(row.data) as { slug?: unknown }).slug)));
    return slugs.find((slug) => !known.has(slug)) ?? null;
  }

  async function foreignSession(workshopId: string, sessionIds: readonly string[]): Promise<string | null> {
    for (const id of sessionIds) {
      const s = await getRecord(app.vaka.db, id);
      if (!s || s.collection !== 'agendaSessions' || s.deleted || s.data.workshopId !== workshopId) return id;
    }
    return null;
  }

  function withdraw(path: string, collection: CollectionName, summary: string) {
    r.delete(
      path,
      {
        schema: {
          summary,
          security: [{ bearer: [] }],
          params: z.object({ id: Id }),
          response: { 200: Saved, ...errorResponses },
        },
      },
      async (request, reply) => {
        if (!requireCoordinator(reply, request.caller)) return reply;
        const version = await tombstoneRecord(app.vaka.db, collection, request.params.id, now());
        if (version === null) return sendError(reply, 404, 'not_found', 'Nothing to withdraw with this id.');
        return { id: request.params.id, version };
      },
    );
  }

  r.put(
    '/workshops/:id',
    {
      schema: {
        summary: 'Create or replace a workshop',
        security: [{ bearer: [] }],
        params: z.object({ id: Id }),
        body: Workshop,
        response: { 200: Saved, ...errorResponses },
      },
    },
    async (request, reply) => {
      if (!requireCoordinator(reply, request.caller)) return reply;
      if (request.body.id !== request.params.id)
        return sendError(reply, 400, 'id_mismatch', 'The id in the body must match the id in the URL.');
      const tool = await unknownToolSlug(request.body.toolSlugs);
      if (tool !== null)
        return sendError(reply, 400, 'unknown_tool', `No tool summary "${tool}"; publish it first or pick another.`);
      const version = await app.vaka.db
        .transaction()
        .execute((trx) => putRecord(trx, 'workshops', request.body, now()));
      return { id: request.params.id, version };
    },
  );
  withdraw('/workshops/:id', 'workshops', 'Withdraw a workshop');

  r.put(
    '/agenda-sessions/:id',
    {
      schema: {
        summary: 'Create or replace an agenda session',
        security: [{ bearer: [] }],
        params: z.object({ id: Id }),
        body: AgendaSession,
        response: { 200: Saved, ...errorResponses },
      },
    },
    async (request, reply) => {
      if (!requireCoordinator(reply, request.caller)) return reply;
      if (request.body.id !== request.params.id)
        return sendError(reply, 400, 'id_mismatch', 'The id in the body must match the id in the URL.');
      const workshop = await liveWorkshop(request.body.workshopId);
      if (!workshop) return sendError(reply, 400, 'unknown_workshop', 'No workshop with this workshopId.');
      if (request.body.joinUrl !== null && workshop.mode === 'in-person')
        return sendError(
          reply,
          400,
          'join_link_in_person',
          'A session of an in-person workshop has no join link; make the workshop online or hybrid first.',
        );
      const tool = await unknownToolSlug(request.body.toolSlugs);
      if (tool !== null)
        return sendError(reply, 400, 'unknown_tool', `No tool summary "${tool}"; publish it first or pick another.`);
      const version = await app.vaka.db
        .transaction()
        .execute((trx) => putRecord(trx, 'agendaSessions', request.body, now()));
      return { id: request.params.id, version };
    },
  );
  withdraw('/agenda-sessions/:id', 'agendaSessions', 'Withdraw an agenda session');

  r.put(
    '/materials/:id',
    {
      schema: {
        summary:
          'Publish a material whose file was uploaded (tus) or already exists; a changed file gets the next version',
        security: [{ bearer: [] }],
        params: z.object({ id: Id }),
        body: Material.omit({ version: true, byteSize: true }),
        response: { 200: Saved.extend({ materialVersion: z.number().int() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      if (!requireCoordinator(reply, request.caller)) return reply;
      // Files are served from this origin: nothing a browser would render as a document is published (ASVS 5.0 V3.2.1).
      if (refuseMediaType(request, reply, request.body.mediaType)) return reply;
      const body = request.body;
      if (body.id !== request.params.id)
        return sendError(reply, 400, 'id_mismatch', 'The id in the body must match the id in the URL.');
      if (!(await workshopExists(body.workshopId)))
        return sendError(reply, 400, 'unknown_workshop', 'No workshop with this workshopId.');
      const session = await foreignSession(body.workshopId, body.sessionIds);
      if (session !== null)
        return sendError(reply, 400, 'unknown_session', `Session ${session} is not on this workshop's agenda.`);
      const file = await app.vaka.db
        .selectFrom('files')
        .selectAll()
        .where('sha256', '=', body.sha256)
        .executeTakeFirst();
      if (!file)
        return sendError(
          reply,
          400,
          'file_missing',
          'Upload the file first; no file with this sha256 is on the server.',
        );
      const previous = await getRecord(app.vaka.db, body.id);
      if (previous && previous.data.audience !== body.audience) {
        return sendError(
          reply,
          400,
          'audience_fixed',
          'The audience of a published material cannot change; publish a new material instead.',
        );
      }
      const prevVersion = previous && !previous.deleted ? Number(previous.data.version) : 0;
      const materialVersion = previous && previous.data.sha256 === body.sha256 ? prevVersion : prevVersion + 1;
      const version = await app.vaka.db
        .transaction()
        .execute((trx) =>
          putRecord(trx, 'materials', { ...body, byteSize: Number(file.byte_size), version: materialVersion }, now()),
        );
      return { id: body.id, version, materialVersion };
    },
  );
  withdraw('/materials/:id', 'materials', 'Withdraw a material');

  r.put(
    '/tool-summaries/:id',
    {
      schema: {
        summary: 'Create or replace a WCO tool summary',
        security: [{ bearer: [] }],
        params: z.object({ id: Id }),
        body: ToolSummary,
        response: { 200: Saved, ...errorResponses },
      },
    },
    async (request, reply) => {
      if (!requireCoordinator(reply, request.caller)) return reply;
      if (request.body.id !== request.params.id)
        return sendError(reply, 400, 'id_mismatch', 'The id in the body must match the id in the URL.');
      const clash = await app.vaka.db
        .selectFrom('records')
        .select(['id', 'data'])
        .where('collection', '=', 'toolSummaries')
        .where('deleted', '=', 0)
        .where('id', '!=', request.body.id)
        .execute();
      if (clash.some((c) => (JSON.parse(c.data) as { slug: string }).slug === request.body.slug)) {
        return sendError(
          reply,
          400,
          'slug_taken',
          `Another tool summary already uses the slug "${request.body.slug}".`,
        );
      }
      const version = await app.vaka.db
        .transaction()
        .execute((trx) => putRecord(trx, 'toolSummaries', request.body, now()));
      return { id: request.params.id, version };
    },
  );
  withdraw('/tool-summaries/:id', 'toolSummaries', 'Withdraw a tool summary');
};
