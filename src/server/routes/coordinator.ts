/**
 * Every coordinator-only route, behind one guard. The guard runs as a
 * preHandler, after the request is validated, so a malformed request still
 * gets its 400 and a valid one from anyone but a signed-in coordinator gets
 * 401 (no, invalid, revoked or expired credentials) or 403 (a device) and
 * reaches no handler.
 */
import type { FastifyPluginAsync } from 'fastify';
import { requireCoordinator } from './errors';
import { rosterRoutes } from './roster';
import { publishingRoutes } from './publishing';
import { reportRoutes } from './reports';
import { coordinatorViewRoutes } from './coordinator-views';
import { messageCoordinatorRoutes } from './messages-coordinator';

export const coordinatorRoutes: FastifyPluginAsync = async (app) => {
  app.addHook('preHandler', async (request, reply) => {
    if (!requireCoordinator(reply, request.caller)) return reply;
  });
  await app.register(rosterRoutes);
  await app.register(publishingRoutes);
  await app.register(reportRoutes);
  await app.register(coordinatorViewRoutes);
  await app.register(messageCoordinatorRoutes);
};
