/**
 * POST /api/v1/enroll: trade a single-use enrolment code for a device token
 * (people/enrolment-codes.ts). Rate-limited per address; every attempt is in
 * the security log, without the code.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { EnrollRequest, EnrollResponse } from '../../shared/sync/protocol';
import { redeemEnrolmentCode } from '../people/enrolment-codes';
import { securityEvent } from '../security-log';
import { errorResponses, sendError } from './errors';

export const enrolRoutes: FastifyPluginAsync = async (app) => {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/enroll',
    {
      config: { rateLimit: { max: app.vaka.config.authRateLimitPerMinute, timeWindow: '1 minute' } },
      schema: {
        summary: 'Enrol a device with a personal enrolment code',
        body: EnrollRequest,
        response: { 200: EnrollResponse, 410: errorResponses[400], ...errorResponses },
      },
    },
    async (request, reply) => {
      const outcome = await redeemEnrolmentCode(
        app.vaka.db,
        request.body.code,
        request.body.deviceName,
        app.vaka.now().toISOString(),
      );
      // Logged without the code: the participant (when the code was real) is enough to follow it up.
      if (outcome.kind === 'ok') {
        securityEvent(request, 'enrol.succeeded', {
          deviceId: outcome.device.deviceId,
          participantId: outcome.device.participantId,
        });
      } else {
        securityEvent(request, 'enrol.failed', {
          status: outcome.kind === 'unknown' ? 400 : 410,
          reason: outcome.kind === 'unknown' ? 'invalid_code' : `code_${outcome.kind}`,
          ...('participantId' in outcome ? { participantId: outcome.participantId } : {}),
        });
      }
      switch (outcome.kind) {
        case 'ok':
          reply.header('cache-control', 'no-store');
          return outcome.device;
        case 'unknown':
          return sendError(
            reply,
            400,
            'invalid_code',
            'This enrolment code is not valid. Check it with your workshop coordinator.',
          );
        case 'used':
          return sendError(
            reply,
            410,
            'code_used',
            'This enrolment code has already been used. Ask your coordinator for a new one.',
          );
        case 'expired':
          return sendError(
            reply,
            410,
            'code_expired',
            'This enrolment code has expired. Ask your coordinator for a new one.',
          );
      }
    },
  );
};
