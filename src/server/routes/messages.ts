/**
 * /api/v1/messages, the follow-up round's routes that need no coordinator
 * (service in messages/service.ts): one-click unsubscribe (RFC 8058) and the
 * single-use sign-in link, both working from an e-mail with no sign-in; the
 * VAPID key a phone subscribes with; and, for an enrolled device, its push
 * subscription and its participant's channel choice. The coordinator's
 * routes are in messages-coordinator.ts, behind the coordinator guard.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as z from 'zod';
import { EnrollResponse } from '../../shared/sync/protocol';
import {
  ChannelChoice,
  MessageLanguage,
  MessagePreferences,
  PushSubscriptionPayload,
} from '../../shared/schemas/messages';
import { issueEnrolmentCode, redeemEnrolmentCode } from '../people/enrolment-codes';
import { unsubscribePage } from '../messages/texts';
import { securityEvent } from '../security-log';
import type { DeviceContext } from '../sync/apply';
import { ApiError, rejectInvalid, sendError } from './errors';

const UNSUBSCRIBE_PATH = /(\/api\/v1\/messages\/unsubscribe\/)[^/?#]+/;

/** A request URL as the access log may keep it: the unsubscribe token replaced. */
export const withoutUrlSecrets = (url: string) => url.replace(UNSUBSCRIBE_PATH, '$1[redacted]');

const TokenParams = z.object({ token: z.string().min(1).max(200) });
const Html = z.string().describe('An HTML page for the person who opened the link.');
/** The page is HTML; a refusal (400, 429) is the API's JSON error. */
const PAGE_MEDIA_TYPES = ['text/html', 'application/json'];
const SignInRequest = z.object({
  token: z.string().min(1).max(200),
  deviceName: z.string().trim().min(1).max(100).default('Phone'),
});
const SignInResponse = EnrollResponse.extend({ surveyPath: z.string() });
const PreferencesInput = z.object({ channels: ChannelChoice, language: MessageLanguage });
const Unsubscribe = z.object({ endpoint: PushSubscriptionPayload.shape.endpoint });

/** The page's language from Accept-Language, among those the texts exist in; English otherwise. */
function pageLanguage(request: FastifyRequest): MessageLanguage {
  const header = request.headers['accept-language'] ?? '';
  for (const part of header.split(',')) {
    const lang = MessageLanguage.safeParse(part.trim().slice(0, 2).toLowerCase());
    if (lang.success) return lang.data;
  }
  return 'en';
}

/** The calling device, or null after answering 401/403 for anyone else. */
function requireDevice(request: FastifyRequest, reply: FastifyReply): DeviceContext | null {
  const caller = request.caller;
  if (rejectInvalid(reply, caller)) return null;
  if (caller.kind !== 'device') {
    void sendError(reply, caller.kind === 'anonymous' ? 401 : 403, 'forbidden', 'Only an enrolled device can do this.');
    return null;
  }
  return caller.device;
}

const deviceOnly = { 401: ApiError, 403: ApiError } as const;

export const messageRoutes: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const messages = app.vaka.messages;
  const limited = { rateLimit: { max: app.vaka.config.authRateLimitPerMinute, timeWindow: '1 minute' } };

  // RFC 8058: the mail provider posts `List-Unsubscribe=One-Click` as a form; so does the confirmation page.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });

  r.post(
    '/unsubscribe/:token',
    {
      config: limited,
      schema: {
        summary: 'One-click unsubscribe from follow-up e-mails (RFC 8058); 200 whether or not the token is known',
        params: TokenParams,
        body: z.record(z.string(), z.string()).optional(),
        produces: PAGE_MEDIA_TYPES,
        response: { 200: Html, 400: ApiError, 429: ApiError },
      },
    },
    async (request, reply) => {
      // The same answer whether or not the token is known: the link tells nobody whether it was ever real.
      await messages.unsubscribe(request.params.token, app.vaka.now());
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(unsubscribePage(pageLanguage(request), true));
    },
  );

  r.get(
    '/unsubscribe/:token',
    {
      config: limited,
      schema: {
        summary: 'The page behind the unsubscribe link: asks, and its button posts (a GET changes nothing)',
        params: TokenParams,
        produces: PAGE_MEDIA_TYPES,
        response: { 200: Html, 400: ApiError, 429: ApiError },
      },
    },
    async (request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(unsubscribePage(pageLanguage(request), false)),
  );

  r.post(
    '/sign-in',
    {
      config: limited,
      schema: {
        summary: 'Trade a single-use sign-in link from an e-mail for a device token on the phone that opened it',
        body: SignInRequest,
        response: { 200: SignInResponse, 400: ApiError, 404: ApiError, 429: ApiError },
      },
    },
    async (request, reply) => {
      const now = app.vaka.now();
      const grant = await messages.redeemSignIn(request.body.token, now);
      if (!grant) {
        securityEvent(request, 'enrol.failed', { status: 404, reason: 'sign_in_link_spent_or_unknown' });
        return sendError(
          reply,
          404,
          'not_found',
          'This link has already been used or has expired. Ask your coordinator for an enrolment code.',
        );
      }
      // Enrolled exactly as with a code, through the same single-use step, so the device is like any other.
      const issued = await issueEnrolmentCode(app.vaka.db, grant.participantId, 1, now);
      const outcome = await redeemEnrolmentCode(app.vaka.db, issued.code, request.body.deviceName, now.toISOString());
      if (outcome.kind !== 'ok') throw new Error(`A fresh enrolment code was refused (${outcome.kind}).`);
      securityEvent(request, 'enrol.succeeded', {
        reason: 'sign_in_link',
        deviceId: outcome.device.deviceId,
        participantId: outcome.device.participantId,
      });
      reply.header('cache-control', 'no-store');
      return { ...outcome.device, surveyPath: grant.surveyPath };
    },
  );

  r.get(
    '/vapid-public-key',
    {
      schema: {
        summary: "The server's VAPID public key, for PushManager.subscribe",
        response: { 200: z.object({ publicKey: z.string() }) },
      },
    },
    async () => ({ publicKey: await messages.vapidPublicKey() }),
  );

  r.put(
    '/push-subscription',
    {
      schema: {
        summary: "Save this phone's Web Push subscription",
        security: [{ bearer: [] }],
        body: PushSubscriptionPayload,
        response: { 204: z.void(), 400: ApiError, ...deviceOnly },
      },
    },
    async (request, reply) => {
      const device = requireDevice(request, reply);
      if (!device) return reply;
      await messages.savePushSubscription(device.participantId, device.deviceId, request.body, app.vaka.now());
      return reply.code(204).send();
    },
  );

  r.delete(
    '/push-subscription',
    {
      schema: {
        summary: "Forget this phone's Web Push subscription",
        security: [{ bearer: [] }],
        body: Unsubscribe,
        response: { 204: z.void(), 400: ApiError, ...deviceOnly },
      },
    },
    async (request, reply) => {
      const device = requireDevice(request, reply);
      if (!device) return reply;
      await messages.removePushSubscription(device.participantId, request.body.endpoint);
      return reply.code(204).send();
    },
  );

  r.get(
    '/preferences',
    {
      schema: {
        summary: "The participant's choice of channels and language for follow-up messages",
        security: [{ bearer: [] }],
        response: { 200: MessagePreferences, ...deviceOnly },
      },
    },
    async (request, reply) => {
      const device = requireDevice(request, reply);
      if (!device) return reply;
      return messages.preferences(device.participantId);
    },
  );

  r.put(
    '/preferences',
    {
      schema: {
        summary: 'Choose push, e-mail, both or none; switching a channel off cancels what is queued on it at once',
        security: [{ bearer: [] }],
        body: PreferencesInput,
        response: { 200: MessagePreferences, 400: ApiError, ...deviceOnly },
      },
    },
    async (request, reply) => {
      const device = requireDevice(request, reply);
      if (!device) return reply;
      return messages.setPreferences(device.participantId, request.body, app.vaka.now());
    },
  );
};
