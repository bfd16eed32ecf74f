/**
 * POST /api/v1/enroll: trade a single-use enrolment code for a device token.
 * Rate-limited per address; the code is marked used in the same transaction
 * that creates the device, so two phones racing with one code get one device.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import { EnrollRequest, EnrollResponse } from '../../shared/sync/protocol';
import { DEVICE_TOKEN_PREFIX, newToken, sha256Hex } from '../auth/tokens';
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
      const now = app.vaka.now().toISOString();
      const codeHash = sha256Hex(request.body.code);
      const outcome = await app.vaka.db.transaction().execute(async (trx) => {
        const code = await trx
          .selectFrom('enrolment_codes')
          .selectAll()
          .where('code_hash', '=', codeHash)
          .executeTakeFirst();
        if (!code) return { kind: 'unknown' as const };
        const participantId = code.participant_id;
        if (code.used_at) return { kind: 'used' as const, participantId };
        if (code.expires_at <= now) return { kind: 'expired' as const, participantId };
        const claimed = await trx
          .updateTable('enrolment_codes')
          .set({ used_at: now })
          .where('code_hash', '=', codeHash)
          .where('used_at', 'is', null)
          .executeTakeFirst();
        if (Number(claimed.numUpdatedRows) !== 1) return { kind: 'used' as const, participantId };
        const deviceId = randomUUID();
        const token = newToken(DEVICE_TOKEN_PREFIX);
        await trx
          .insertInto('devices')
          .values({
            id: deviceId,
            participant_id: code.participant_id,
            token_hash: sha256Hex(token),
            name: request.body.deviceName,
            last_mid: 0,
            created_at: now,
            last_seen_at: now,
            revoked_at: null,
          })
          .execute();
        await trx
          .updateTable('enrolment_codes')
          .set({ device_id: deviceId })
          .where('code_hash', '=', codeHash)
          .execute();
        const roster = await trx
          .selectFrom('roster')
          .select('workshop_id')
          .where('participant_id', '=', code.participant_id)
          .execute();
        return {
          kind: 'ok' as const,
          body: {
            deviceId,
            deviceToken: token,
            participantId: code.participant_id,
            workshopIds: roster.map((r) => r.workshop_id),
          },
        };
      });
      // Logged without the code: the participant (when the code was real) is enough to follow it up.
      if (outcome.kind === 'ok') {
        securityEvent(request, 'enrol.succeeded', {
          deviceId: outcome.body.deviceId,
          participantId: outcome.body.participantId,
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
          return outcome.body;
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
