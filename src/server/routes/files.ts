/**
 * GET /api/v1/files/:sha256: published material files by content hash, with
 * a strong ETag, immutable caching and byte ranges so a cut download resumes.
 * Who may read which file is decided in files/access.ts.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as z from 'zod';
import { Sha256 } from '../../shared/schemas/common';
import { fileAccess } from '../files/access';
import { rejectInvalid, sendError } from './errors';

export const fileRoutes: FastifyPluginAsync = async (app) => {
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
      const file = await fileAccess(app.vaka.db, sha256, caller);
      const size = file ? await app.vaka.files.size(sha256) : null;
      if (!file || size === null) return sendError(reply, 404, 'not_found', 'No file with this sha256.');
      if (!file.allowed) {
        return sendError(
          reply,
          caller.kind === 'anonymous' ? 401 : 403,
          'forbidden',
          'This file is for the workshop participants only.',
        );
      }

      const etag = `"${sha256}"`;
      reply.header('etag', etag);
      reply.header('accept-ranges', 'bytes');
      reply.header('content-type', file.mediaType);
      reply.header(
        'cache-control',
        file.isPublic ? 'public, max-age=31536000, immutable' : 'private, max-age=31536000, immutable',
      );
      if (request.headers['if-none-match'] === etag) return reply.code(304).send();

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
        return reply.send(await app.vaka.files.read(sha256, { start, end }));
      }
      reply.header('content-length', size);
      return reply.send(await app.vaka.files.read(sha256));
    },
  );
};

function rangeError(reply: import('fastify').FastifyReply, size: number) {
  reply.header('content-range', `bytes */${size}`);
  reply.header('content-type', 'application/json; charset=utf-8');
  reply.removeHeader('etag');
  return sendError(reply, 416, 'range_not_satisfiable', `The file has ${size} bytes; ask for a range inside it.`);
}
