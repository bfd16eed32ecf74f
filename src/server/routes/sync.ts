/**
 * POST /api/v1/sync: push the outbox and pull changes in one request.
 * Anyone may pull public content; pushing needs an enrolled device.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as z from 'zod';
import {
  MIN_PROTOCOL_VERSION,
  PROTOCOL_VERSION,
  SyncRequest,
  SyncResponseWire,
  compactResponse,
  protocolMismatch,
} from '../../shared/sync/protocol';
import { runSync } from '../sync/service';
import { ApiError, errorResponses, rejectInvalid, sendError } from './errors';

/** Accepts any protocol number so an old client gets 426 and a newer one 501, rather than a validation error. */
const Body = SyncRequest.extend({ protocol: z.number().int() });

export const syncRoutes: FastifyPluginAsync = async (app) => {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/sync',
    {
      bodyLimit: 8 * 1024 * 1024,
      schema: {
        summary: 'Push outbox mutations and pull changes since the cursors, in one round trip',
        security: [{ bearer: [] }, {}],
        body: Body,
        response: { 200: SyncResponseWire, 426: ApiError, ...errorResponses, 501: ApiError },
      },
    },
    async (request, reply) => {
      const caller = request.caller;
      if (rejectInvalid(reply, caller)) return reply;
      const protocol = request.body.protocol;
      const mismatch = protocolMismatch(protocol);
      if (mismatch) {
        const speaks = `This version of Vaka speaks sync protocol ${protocol}; the server speaks ${MIN_PROTOCOL_VERSION} to ${PROTOCOL_VERSION}.`;
        return sendError(
          reply,
          mismatch.status,
          mismatch.error,
          mismatch.error === 'client_outdated'
            ? `${speaks} Please update the app (reload it while online).`
            : `${speaks} The server needs an update; your work stays saved on this phone until then.`,
        );
      }
      if (caller.kind === 'coordinator') {
        return sendError(reply, 403, 'forbidden', 'Coordinators use the coordinator API, not device sync.');
      }
      if (caller.kind === 'anonymous' && request.body.mutations.length > 0) {
        return sendError(reply, 401, 'unauthorized', 'Enrol this device before sending records.');
      }
      const device = caller.kind === 'device' ? caller.device : null;
      const { response } = await runSync(app.vaka.db, app.vaka.dialect, request.body, device, () =>
        app.vaka.now().toISOString(),
      );
      reply.header('cache-control', 'no-store');
      // Later clients fill in what is left out; protocol 1 clients read every field and know no short ids.
      if (protocol >= 2) return compactResponse(response);
      const full: SyncResponseWire = { ...response };
      delete full.scopeIds;
      return full;
    },
  );
};
