/**
 * Security events (OWASP ASVS 5.0 V16) as structured pino lines through Fastify's
 * logger: `{ event: 'auth.login_failed', ip, method, route, … }`. Every
 * authentication decision, every refused request (401/403), every
 * rate-limit hit, every use of a revoked device and every request refused
 * as invalid (400/413/415/422, at info level) is logged, and never a
 * secret: no token, enrolment code or password, and of an e-mail address
 * only its domain and a short hash (enough to see attempts on one account).
 * Handlers log the events they know most about (sign-in, enrolment); an
 * onResponse hook in app.ts logs the rest and skips requests a handler has
 * already described.
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

export type SecurityEvent =
  | 'auth.login_succeeded'
  | 'auth.login_failed'
  | 'auth.logout'
  | 'auth.session_expired'
  | 'auth.revoked_device_used'
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
