/**
 * Coordinator sign-in and sign-out, the second factor (verify, set up,
 * recover) and the password change; the sessions themselves are in
 * auth/sessions.ts and the TOTP rules in auth/second-factor.ts. Every route
 * that takes a secret is rate-limited per address; a session also ends after
 * MAX_SECOND_FACTOR_FAILURES wrong codes.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as z from 'zod';
import { bearerToken } from '../auth/tokens';
import {
  changePassword,
  failSecondFactor,
  passSecondFactor,
  signIn,
  signOut,
  type SecondFactorStep,
} from '../auth/sessions';
import {
  MAX_SECOND_FACTOR_FAILURES,
  beginSetup,
  confirmSetup,
  recoveryCodesLeft,
  verifySecondFactor,
} from '../auth/second-factor';
import { MAX_PASSWORD_LENGTH, PASSWORD_PROBLEMS } from '../auth/passwords';
import type { Caller } from '../auth/identity';
import { emailFingerprint, securityEvent } from '../security-log';
import { errorResponses, rejectInvalid, requireCoordinator, sendError } from './errors';

const SecondFactorStepSchema = z.enum(['done', 'verify', 'setup']);
const Code = z.string().trim().min(6).max(40);

type SignedIn = Extract<Caller, { kind: 'coordinator' | 'coordinator_unverified' }>;

export const coordinatorAuthRoutes: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const limited = { rateLimit: { max: app.vaka.config.authRateLimitPerMinute, timeWindow: '1 minute' } };

  /** Any session opened with the right password, whether or not it has passed the second factor. */
  const signedIn = (request: FastifyRequest, reply: FastifyReply): SignedIn | null => {
    const caller = request.caller;
    if (rejectInvalid(reply, caller)) return null;
    if (caller.kind === 'coordinator' || caller.kind === 'coordinator_unverified') return caller;
    void sendError(reply, 401, 'unauthorized', 'Sign in first.');
    return null;
  };
  const stepOf = (caller: SignedIn): SecondFactorStep => (caller.kind === 'coordinator' ? 'done' : caller.step);

  r.post(
    '/auth/login',
    {
      config: limited,
      schema: {
        summary: 'Coordinator sign-in',
        body: z.object({ email: z.email().max(320), password: z.string().min(1).max(1024) }),
        response: {
          200: z.object({
            token: z.string(),
            expiresAt: z.string(),
            name: z.string(),
            secondFactor: SecondFactorStepSchema,
            idleMinutes: z.number().int(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const email = request.body.email.toLowerCase();
      const { config } = app.vaka;
      const outcome = await signIn(app.vaka.db, email, request.body.password, app.vaka.now(), {
        mfa: config.coordinatorMfa,
        sessionHours: config.coordinatorSessionHours,
      });
      if (outcome.kind === 'refused') {
        // The log may tell an operator why (the answer never does); it never holds the address or the password.
        securityEvent(request, 'auth.login_failed', {
          status: 401,
          reason: outcome.reason,
          ...emailFingerprint(email),
          ...(outcome.coordinatorId ? { coordinatorId: outcome.coordinatorId } : {}),
        });
        return sendError(reply, 401, 'unauthorized', 'E-mail or password is wrong.');
      }
      securityEvent(request, 'auth.login_succeeded', {
        coordinatorId: outcome.coordinatorId,
        reason: `second_factor_${outcome.secondFactor}`,
        ...emailFingerprint(email),
      });
      reply.header('cache-control', 'no-store');
      return {
        token: outcome.token,
        expiresAt: outcome.expiresAt,
        name: outcome.name,
        secondFactor: outcome.secondFactor,
        idleMinutes: config.coordinatorIdleMinutes,
      };
    },
  );

  r.get(
    '/auth/session',
    {
      schema: {
        summary: 'The current coordinator session; asking keeps it from going idle',
        security: [{ bearer: [] }],
        response: {
          200: z.object({
            email: z.string(),
            secondFactor: SecondFactorStepSchema,
            secondFactorEnabled: z.boolean(),
            recoveryCodesLeft: z.number().int(),
            mfaRequired: z.boolean(),
            idleMinutes: z.number().int(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const caller = signedIn(request, reply);
      if (!caller) return reply;
      const account = await app.vaka.db
        .selectFrom('coordinators')
        .select('totp_secret')
        .where('id', '=', caller.coordinatorId)
        .executeTakeFirstOrThrow();
      reply.header('cache-control', 'no-store');
      return {
        email: caller.email,
        secondFactor: stepOf(caller),
        secondFactorEnabled: account.totp_secret !== null,
        recoveryCodesLeft: await recoveryCodesLeft(app.vaka.db, caller.coordinatorId),
        mfaRequired: app.vaka.config.coordinatorMfa === 'required',
        idleMinutes: app.vaka.config.coordinatorIdleMinutes,
      };
    },
  );

  r.post(
    '/auth/second-factor/verify',
    {
      config: limited,
      schema: {
        summary: 'Pass the second factor with a code from the authenticator app or a recovery code',
        security: [{ bearer: [] }],
        body: z.object({ code: Code }),
        response: {
          200: z.object({ used: z.enum(['totp', 'recovery_code']) }),
          409: errorResponses[400],
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const caller = signedIn(request, reply);
      if (!caller) return reply;
      if (stepOf(caller) !== 'verify') return sendError(reply, 409, 'not_needed', 'This session does not need a code.');
      const token = bearerToken(request.headers.authorization)!;
      const used = await verifySecondFactor(app.vaka.db, caller.coordinatorId, request.body.code, app.vaka.now());
      if (!used) {
        const ended = await failSecondFactor(app.vaka.db, token, MAX_SECOND_FACTOR_FAILURES);
        securityEvent(request, 'auth.second_factor_failed', {
          status: 401,
          coordinatorId: caller.coordinatorId,
          reason: ended ? 'too_many_attempts' : 'wrong_code',
        });
        return ended
          ? sendError(reply, 401, 'expired', 'Too many wrong codes. Sign in again.')
          : sendError(reply, 401, 'wrong_code', 'This code is not right. Check the app and try again.');
      }
      await passSecondFactor(app.vaka.db, token);
      securityEvent(request, 'auth.second_factor_passed', { coordinatorId: caller.coordinatorId, reason: used });
      return { used };
    },
  );

  r.post(
    '/auth/second-factor/setup',
    {
      config: limited,
      schema: {
        summary: 'Draw a new TOTP secret to scan; it counts once confirmed',
        security: [{ bearer: [] }],
        response: { 200: z.object({ secret: z.string(), otpauthUri: z.string() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const caller = signedIn(request, reply);
      if (!caller) return reply;
      // A session that still owes a code may not replace the factor it owes.
      if (stepOf(caller) === 'verify')
        return sendError(reply, 401, 'second_factor_required', 'Enter the code from your authenticator app first.');
      reply.header('cache-control', 'no-store');
      return beginSetup(app.vaka.db, caller.coordinatorId, caller.email);
    },
  );

  r.post(
    '/auth/second-factor/confirm',
    {
      config: limited,
      schema: {
        summary: 'Confirm the new secret with a first code; answers the recovery codes, shown only this once',
        security: [{ bearer: [] }],
        body: z.object({ code: Code }),
        response: { 200: z.object({ recoveryCodes: z.array(z.string()) }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const caller = signedIn(request, reply);
      if (!caller) return reply;
      if (stepOf(caller) === 'verify')
        return sendError(reply, 401, 'second_factor_required', 'Enter the code from your authenticator app first.');
      const token = bearerToken(request.headers.authorization)!;
      const codes = await confirmSetup(
        app.vaka.db,
        caller.coordinatorId,
        caller.email,
        request.body.code,
        app.vaka.now(),
      );
      if (!codes) {
        const ended = await failSecondFactor(app.vaka.db, token, MAX_SECOND_FACTOR_FAILURES);
        securityEvent(request, 'auth.second_factor_failed', {
          status: 401,
          coordinatorId: caller.coordinatorId,
          reason: ended ? 'too_many_attempts' : 'wrong_setup_code',
        });
        return ended
          ? sendError(reply, 401, 'expired', 'Too many wrong codes. Sign in again.')
          : sendError(reply, 400, 'wrong_code', 'This code is not right. Scan the QR code again and enter a new code.');
      }
      await passSecondFactor(app.vaka.db, token);
      securityEvent(request, 'auth.second_factor_enabled', { coordinatorId: caller.coordinatorId });
      reply.header('cache-control', 'no-store');
      return { recoveryCodes: codes };
    },
  );

  r.post(
    '/auth/password',
    {
      config: limited,
      schema: {
        summary: 'Change the password (the current one is asked again); every other session ends',
        security: [{ bearer: [] }],
        body: z.object({
          currentPassword: z.string().min(1).max(1024),
          newPassword: z
            .string()
            .min(1)
            .max(MAX_PASSWORD_LENGTH * 4),
        }),
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const caller = request.caller;
      if (!requireCoordinator(reply, caller)) return reply;
      const outcome = await changePassword(
        app.vaka.db,
        caller.coordinatorId,
        bearerToken(request.headers.authorization)!,
        request.body.currentPassword,
        request.body.newPassword,
        app.vaka.now(),
      );
      if (outcome.kind === 'wrong_password') {
        securityEvent(request, 'auth.password_change_failed', {
          status: 403,
          coordinatorId: caller.coordinatorId,
          reason: 'wrong_password',
        });
        return sendError(reply, 403, 'wrong_password', 'Your current password is not right.');
      }
      if (outcome.kind === 'weak') {
        securityEvent(request, 'auth.password_change_failed', {
          status: 400,
          coordinatorId: caller.coordinatorId,
          reason: outcome.problem,
        });
        return sendError(reply, 400, `password_${outcome.problem}`, PASSWORD_PROBLEMS[outcome.problem]);
      }
      securityEvent(request, 'auth.password_changed', { coordinatorId: caller.coordinatorId });
      return reply.code(204).send(null);
    },
  );

  r.post(
    '/auth/logout',
    { schema: { summary: 'End the coordinator session', response: { 204: z.null() } } },
    async (request, reply) => {
      const token = bearerToken(request.headers.authorization);
      const caller = request.caller;
      if (token && (await signOut(app.vaka.db, token)))
        securityEvent(request, 'auth.logout', {
          ...(caller.kind === 'coordinator' || caller.kind === 'coordinator_unverified'
            ? { coordinatorId: caller.coordinatorId }
            : {}),
        });
      return reply.code(204).send(null);
    },
  );
};
