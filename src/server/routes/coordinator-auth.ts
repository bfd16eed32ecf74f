/** Coordinator sign-in and sign-out. Passwords are Argon2id; sessions are opaque hashed tokens. */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as z from 'zod';
import { SESSION_TOKEN_PREFIX, bearerToken, hashPassword, newToken, sha256Hex, verifyPassword } from '../auth/tokens';
import { emailFingerprint, securityEvent } from '../security-log';
import { errorResponses, sendError } from './errors';

const SESSION_HOURS = 12;
/** Verifying against a real hash when the account is unknown keeps response times from revealing which e-mails exist. */
let dummyHash: Promise<string> | null = null;

export const coordinatorAuthRoutes: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/auth/login',
    {
      config: { rateLimit: { max: app.vaka.config.authRateLimitPerMinute, timeWindow: '1 minute' } },
      schema: {
        summary: 'Coordinator sign-in',
        body: z.object({ email: z.email().max(320), password: z.string().min(1).max(1024) }),
        response: { 200: z.object({ token: z.string(), expiresAt: z.string(), name: z.string() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const email = request.body.email.toLowerCase();
      const account = await app.vaka.db
        .selectFrom('coordinators')
        .selectAll()
        .where('email', '=', email)
        .executeTakeFirst();
      dummyHash ??= hashPassword('not-a-real-password');
      const ok =
        account && !account.disabled_at
          ? await verifyPassword(account.password_hash, request.body.password)
          : (await verifyPassword(await dummyHash, request.body.password), false);
      if (!ok || !account) {
        // The log may tell an operator why (the answer never does); it never holds the address or the password.
        securityEvent(request, 'auth.login_failed', {
          status: 401,
          reason: !account ? 'unknown_account' : account.disabled_at ? 'account_disabled' : 'wrong_password',
          ...emailFingerprint(email),
          ...(account ? { coordinatorId: account.id } : {}),
        });
        return sendError(reply, 401, 'unauthorized', 'E-mail or password is wrong.');
      }
      const token = newToken(SESSION_TOKEN_PREFIX);
      const now = app.vaka.now();
      const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3600_000).toISOString();
      await app.vaka.db
        .insertInto('coordinator_sessions')
        .values({
          token_hash: sha256Hex(token),
          coordinator_id: account.id,
          created_at: now.toISOString(),
          expires_at: expiresAt,
        })
        .execute();
      securityEvent(request, 'auth.login_succeeded', { coordinatorId: account.id, ...emailFingerprint(email) });
      reply.header('cache-control', 'no-store');
      return { token, expiresAt, name: account.name };
    },
  );
  r.post(
    '/auth/logout',
    { schema: { summary: 'End the coordinator session', response: { 204: z.null() } } },
    async (request, reply) => {
      const token = bearerToken(request.headers.authorization);
      if (token) {
        const ended = await app.vaka.db
          .deleteFrom('coordinator_sessions')
          .where('token_hash', '=', sha256Hex(token))
          .executeTakeFirst();
        if (Number(ended.numDeletedRows) > 0)
          securityEvent(request, 'auth.logout', {
            ...(request.caller.kind === 'coordinator' ? { coordinatorId: request.caller.coordinatorId } : {}),
          });
      }
      return reply.code(204).send(null);
    },
  );
};
