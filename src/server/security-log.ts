/**
 * Security events (OWASP ASVS 5.0 V16) as structured pino lines through Fastify's
 * logger: `{ event: 'auth.login_failed', ip, method, route, … }`. Every
 * authentication decision, every refused request (401/403), every
 * rate-limit hit, every use of a revoked device and every request refused
 * as invalid (400/413/415/422, at info level) is logged, and never a
 * secret: no token, enrolment code or password, and of an e-mail address
 * only its domain and a short hash (enough to see attempts on one account).
 * Handlers log the events they know most about (sign-in, enrolment); the
 * `securityLog` plugin's onResponse hook classifies every other API answer
 * and skips requests a handler has already described.
 */
import { createHash } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';

export type SecurityEvent =
  | 'auth.login_succeeded'
  | 'auth.login_failed'
  | 'auth.logout'
  | 'auth.session_expired'
  | 'auth.revoked_device_used'
  | 'auth.second_factor_passed'
  | 'auth.second_factor_failed'
  | 'auth.second_factor_enabled'
  | 'auth.password_changed'
  | 'auth.password_change_failed'
  | 'enrol.succeeded'
  | 'enrol.failed'
  | 'access.denied'
  | 'rate_limit.exceeded'
  | 'admin.write'
  | 'input.rejected'
  | 'upload.refused';

/** Only these fields may be added to an event: identifiers, never secrets. */
export interface SecurityFields {
  reason?: string;
  status?: number;
  emailDomain?: string;
  emailHash?: string;
  deviceId?: string;
  participantId?: string;
  coordinatorId?: string;
  caller?: string;
  mediaType?: string;
  params?: Record<string, string>;
}

const described = new WeakSet<FastifyRequest>();

const WARN: ReadonlySet<SecurityEvent> = new Set([
  'auth.login_failed',
  'auth.second_factor_failed',
  'auth.password_change_failed',
  'auth.session_expired',
  'auth.revoked_device_used',
  'enrol.failed',
  'access.denied',
  'rate_limit.exceeded',
  'upload.refused',
]);

/** The address, method and route pattern of a request (the path without its query string, if no route matched). */
function requestFields(request: FastifyRequest) {
  return {
    ip: request.ip,
    method: request.method,
    route: request.routeOptions.url ?? request.url.split('?')[0],
  };
}

export function securityEvent(
  request: FastifyRequest,
  event: SecurityEvent,
  fields: SecurityFields = {},
  reply?: FastifyReply,
): void {
  described.add(request);
  const line = {
    event,
    ...requestFields(request),
    ...(reply ? { status: reply.statusCode } : {}),
    ...fields,
  };
  if (WARN.has(event)) request.log.warn(line, `security: ${event}`);
  else request.log.info(line, `security: ${event}`);
}

/** Whether a handler already logged this request's security event (the onResponse hook then stays quiet). */
export function alreadyDescribed(request: FastifyRequest): boolean {
  return described.has(request);
}

/** An e-mail address as a log may show it: its domain and the first 16 hex digits of its SHA-256. */
export function emailFingerprint(email: string): { emailDomain: string; emailHash: string } {
  const normal = email.trim().toLowerCase();
  const at = normal.lastIndexOf('@');
  return {
    emailDomain: at >= 0 ? normal.slice(at + 1) : '(none)',
    emailHash: createHash('sha256').update(normal).digest('hex').slice(0, 16),
  };
}

/**
 * The events no handler describes, read from the answer: revoked devices and expired sessions, rate-limit
 * hits, refused enrolments and sign-ins, 401/403, requests refused as invalid, and every coordinator write.
 */
export function classifyResponse(request: FastifyRequest, reply: FastifyReply): void {
  if (alreadyDescribed(request) || !request.url.startsWith('/api/')) return;
  const status = reply.statusCode;
  const caller = request.caller;
  const route = request.routeOptions.url;
  if (caller?.kind === 'invalid' && caller.reason === 'revoked') {
    securityEvent(request, 'auth.revoked_device_used', { deviceId: caller.deviceId }, reply);
  } else if (caller?.kind === 'invalid' && caller.reason === 'expired') {
    securityEvent(request, 'auth.session_expired', { coordinatorId: caller.coordinatorId }, reply);
  } else if (status === 429) {
    securityEvent(request, 'rate_limit.exceeded', {}, reply);
  } else if (route === '/api/v1/enroll' && status >= 400) {
    securityEvent(request, 'enrol.failed', { reason: 'invalid_request' }, reply);
  } else if (route === '/api/v1/auth/login' && status >= 400) {
    securityEvent(request, 'auth.login_failed', { reason: 'invalid_request' }, reply);
  } else if (status === 401 || status === 403) {
    securityEvent(
      request,
      'access.denied',
      {
        caller: caller?.kind ?? 'anonymous',
        reason: caller?.kind === 'invalid' ? 'unknown_token' : status === 401 ? 'no_credentials' : 'not_permitted',
        ...(caller?.kind === 'device'
          ? { deviceId: caller.device.deviceId, participantId: caller.device.participantId }
          : caller?.kind === 'coordinator'
            ? { coordinatorId: caller.coordinatorId }
            : {}),
      },
      reply,
    );
  } else if (status === 400 || status === 413 || status === 415 || status === 422) {
    securityEvent(request, 'input.rejected', {}, reply);
  } else if (caller?.kind === 'coordinator' && request.method !== 'GET' && request.method !== 'HEAD' && status < 400) {
    securityEvent(
      request,
      'admin.write',
      { coordinatorId: caller.coordinatorId, params: request.params as Record<string, string> },
      reply,
    );
  }
}

/** The security log of every API answer (ASVS 5.0 V16), as one onResponse hook. */
export const securityLog = fp(async (app) => {
  app.addHook('onResponse', async (request, reply) => classifyResponse(request, reply));
});
