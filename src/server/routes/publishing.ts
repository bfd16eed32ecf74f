/**
 * Coordinator publishing: create, replace and withdraw workshops, agenda
 * sessions, materials and tool summaries (checks and writes in
 * content/publishing.ts). Devices receive every write as a delta (or a
 * tombstone) on their next sync.
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as z from 'zod';
import { Id } from '../../shared/schemas/common';
import { AgendaSession, Material, ToolSummary, Workshop } from '../../shared/schemas/workshop';
import type { CollectionName } from '../../shared/schemas/collections';
import { tombstoneRecord } from '../sync/publish';
import {
  publishAgendaSession,
  publishMaterial,
  publishToolSummary,
  publishWorkshop,
  type Refusal,
} from '../content/publishing';
import { errorResponses, sendError } from './errors';
import { refuseMediaType } from '../media-types';

const Saved = z.object({ id: Id, version: z.number().int() });

const refused = (reply: FastifyReply, r: Refusal) => sendError(reply, 400, r.error, r.message);
const idMismatch = (reply: FastifyReply) =>
  sendError(reply, 400, 'id_mismatch', 'The id in the body must match the id in the URL.');

export const publishingRoutes: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const now = () => app.vaka.now().toISOString();

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
      if (request.body.id !== request.params.id) return idMismatch(reply);
      const saved = await publishWorkshop(app.vaka.db, request.body, now());
      if (saved.kind === 'refused') return refused(reply, saved);
      return { id: request.params.id, version: saved.version };
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
      if (request.body.id !== request.params.id) return idMismatch(reply);
      const saved = await publishAgendaSession(app.vaka.db, request.body, now());
      if (saved.kind === 'refused') return refused(reply, saved);
      return { id: request.params.id, version: saved.version };
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
      // Files are served from this origin: nothing a browser would render as a document is published (ASVS 5.0 V3.2.1).
      if (refuseMediaType(request, reply, request.body.mediaType)) return reply;
      if (request.body.id !== request.params.id) return idMismatch(reply);
      const saved = await publishMaterial(app.vaka.db, request.body, now());
      if (saved.kind === 'refused') return refused(reply, saved);
      return { id: request.body.id, version: saved.version, materialVersion: saved.materialVersion };
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
      if (request.body.id !== request.params.id) return idMismatch(reply);
      const saved = await publishToolSummary(app.vaka.db, request.body, now());
      if (saved.kind === 'refused') return refused(reply, saved);
      return { id: request.params.id, version: saved.version };
    },
  );
  withdraw('/tool-summaries/:id', 'toolSummaries', 'Withdraw a tool summary');
};
