/**
 * GET /api/v1/files/:sha256: published material files by content hash, with
 * a strong ETag, immutable caching and byte ranges so a cut download resumes.
 * Participants-only files need an enrolled device of one of that workshop's
 * participants (or a coordinator).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import fs from 'node:fs';
import * as z from 'zod';
import { Sha256 } from '../../shared/schemas/common';
import { FileStore } from '../files/store';
import { rejectInvalid, sendError } from './errors';

export const fileRoutes: FastifyPluginAsync = async (app) => {
  const store = new FileStore(app.vaka.config.filesDir);
  app.withTypeProvider<ZodTypeProvider>().get(
    '/files/:sha256',
    {
      compress: false,
      schema: {
        summary: 'Download a material file by its sha256 (supports Range)',
        params: z.object({ sha256: Sha256 }),
      },
    },
    async (request, reply) => {
      const caller = request.caller;
      if (rejectInvalid(reply, caller)) return reply;
      const { sha256 } = request.params;
      const file = await app.vaka.db.selectFrom('files').selectAll().where('sha256', '=', sha256).executeTakeFirst();
      const stat = store.stat(sha256);
      if (!file || !stat) return sendError(reply, 404, 'not_found', 'No file with this sha256.');

      const materials = await app.vaka.db
        .selectFrom('records')
        .select(['scope', 'workshop_id'])
        .where('collection', '=', 'materials')
        .where('deleted', '=', 0)
        .where('data', 'like', `%${sha256}%`)
        .execute();
      const isPublic = materials.some((m) => m.scope.startsWith('w:'));
      if (!isPublic && caller.kind !== 'coordinator') {
        const allowed =
          caller.kind === 'device' &&
          (materials.some((m) => m.workshop_id !== null && caller.device.workshopIds.has(m.workshop_id)) ||
            (await app.vaka.db
              .selectFrom('records')
              .select('id')
              .where('owner_participant_id', '=', caller.device.participantId)
              .where('data', 'like', `%${sha256}%`)
              .executeTakeFirst()) !== undefined);
        if (!allowed) {
          return sendError(
            reply,
            caller.kind === 'anonymous' ? 401 : 403,
            'forbidden',
            'This file is for the workshop participants only.',
          );
        }
      }

      const etag = `"${sha256}"`;
      reply.header('etag', etag);
      reply.header('accept-ranges', 'bytes');
      reply.header('content-type', file.media_type);
      reply.header(
        'cache-control',
        isPublic ? 'public, max-age=31536000, immutable' : 'private, max-age=31536000, immutable',
      );
      if (request.headers['if-none-match'] === etag) return reply.code(304).send();

      const size = stat.size;
      const range = request.headers.range;
      const ifRange = request.headers['if-range'];
      if (range && (!ifRange || ifRange === etag)) {
        const m = /^bytes=(\d*)-(\d*)$/.exec(range);
        if (!m || (m[1] === '' && m[2] === '')) return rangeError(reply, size);
        let start: number;
        let end: number;
        if (m[1] === '') {
          start = Math.max(0, size - Number(m[2]));
          end = size - 1;
        } else {
          start = Number(m[1]);
          end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
        }
        if (start > end || start >= size) return rangeError(reply, size);
        reply.code(206);
        reply.header('content-range', `bytes ${start}-${end}/${size}`);
        reply.header('content-length', end - start + 1);
        return reply.send(fs.createReadStream(store.pathOf(sha256), { start, end }));
      }
      reply.header('content-length', size);
      return reply.send(fs.createReadStream(store.pathOf(sha256)));
    },
  );
};

function rangeError(reply: import('fastify').FastifyReply, size: number) {
  reply.header('content-range', `bytes */${size}`);
  reply.header('content-type', 'application/json; charset=utf-8');
  reply.removeHeader('etag');
  return sendError(reply, 416, 'range_not_satisfiable', `The file has ${size} bytes; ask for a range inside it.`);
}
