/**
 * The Vaka server as a Fastify plugin tree: security headers, compression
 * both ways, zod validation of every request, the API routes and the built
 * PWA. `buildApp` takes an open database so tests can run it through
 * `inject` on SQLite or PostgreSQL without a port; `main.ts` only listens.
 */
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import compress from '@fastify/compress';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import type { ServerConfig } from './config';
import type { DatabaseHandle } from './db/connection';
import { resolveCaller, type Caller } from './auth/identity';
import { healthRoutes } from './routes/health';
import { syncRoutes } from './routes/sync';
import { enrolRoutes } from './routes/enrol';
import { coordinatorAuthRoutes } from './routes/coordinator-auth';
import { rosterRoutes } from './routes/roster';
import { fileRoutes } from './routes/files';
import { uploadRoutes } from './routes/uploads';
import { publishingRoutes } from './routes/publishing';
import { reportRoutes } from './routes/reports';
import { coordinatorViewRoutes } from './routes/coordinator-views';
import { staticRoutes } from './routes/static';
import { isTransientDbError } from './db/errors';
import { alreadyDescribed, securityEvent } from './security-log';

declare module 'fastify' {
  interface FastifyInstance {
    vaka: AppContext;
  }
  interface FastifyRequest {
    caller: Caller;
  }
}

export interface AppContext {
  db: DatabaseHandle['db'];
  dialect: DatabaseHandle['dialect'];
  config: ServerConfig;
  /** The server clock; injectable so tests can move it. */
  now: () => Date;
}

export interface BuildOptions {
  database: DatabaseHandle;
  config: ServerConfig;
  now?: () => Date;
  logger?: boolean;
  /** Where log lines go instead of stdout (tests read the security log from it); turns the logger on. */
  logStream?: { write(line: string): void };
}

export async function buildApp(opts: BuildOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      opts.logger || opts.logStream
        ? {
            level: opts.config.logLevel,
            ...(opts.logStream ? { stream: opts.logStream } : {}),
            // Belt and braces: no code path logs these, and none ever should (ASVS 5.0 V16.2.5).
            redact: {
              paths: ['req.headers.authorization', 'req.headers.cookie', 'password', 'token', 'deviceToken'],
              censor: '[redacted]',
            },
          }
        : false,
    bodyLimit: 256 * 1024,
    trustProxy: opts.config.trustProxy,
    // Prototype-pollution keys in JSON bodies are refused outright.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('vaka', {
    db: opts.database.db,
    dialect: opts.database.dialect,
    config: opts.config,
    now: opts.now ?? (() => new Date()),
  });
  app.decorateRequest<Caller | null>('caller', null);

  // JSON answers need none of the page headers (about 560 bytes a sync, paid per megabyte by our users):
  // API routes get a short policy that still forbids framing, sniffing and referrers.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/') && route.helmet === undefined) route.helmet = API_HEADERS;
  });
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        workerSrc: ["'self'"],
        manifestSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    // HSTS only where TLS is really in front of us; see the onRequest hook below.
    hsts: false,
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
    crossOriginEmbedderPolicy: false,
  });
  // On the raw response, like helmet's own headers, so answers the tus server writes itself carry it too.
  app.addHook('onRequest', async (request, reply) => {
    if (request.protocol === 'https')
      reply.raw.setHeader('strict-transport-security', 'max-age=31536000; includeSubDomains');
  });

  await app.register(compress, { global: true, encodings: ['br', 'gzip'], threshold: 512 });
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Vaka API',
        version: '1.0.0',
        description: 'Sync, enrolment and content API of Vaka, the offline-first companion for WCO A/P workshops.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'Device token or coordinator session token' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });

  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/api/')) return;
    try {
      request.caller = await resolveCaller(app.vaka.db, request.headers.authorization, app.vaka.now().toISOString());
    } catch (err) {
      if (isTransientDbError(err)) {
        return reply
          .code(503)
          .header('retry-after', '5')
          .send({ error: 'unavailable', message: 'The server is busy; try again shortly.' });
      }
      throw err;
    }
  });

  // No record nests deeper than a few levels; refusing deep bodies up front keeps
  // recursive code (validation, comparison, serialisation) far from stack limits.
  app.addHook('preValidation', async (request, reply) => {
    if (
      request.body !== null &&
      typeof request.body === 'object' &&
      nestingDepth(request.body, MAX_JSON_DEPTH) > MAX_JSON_DEPTH
    ) {
      return reply.code(400).send({
        error: 'invalid_request',
        message: `The request body is nested more than ${MAX_JSON_DEPTH} levels deep.`,
      });
    }
  });

  // The security log (ASVS 5.0 V16): refused requests, rate-limit hits, revoked devices and expired sessions,
  // requests refused as invalid, and every coordinator write. Handlers that know more (sign-in, enrolment)
  // log their own events.
  app.addHook('onResponse', async (request, reply) => {
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
    } else if (
      caller?.kind === 'coordinator' &&
      request.method !== 'GET' &&
      request.method !== 'HEAD' &&
      status < 400
    ) {
      securityEvent(
        request,
        'admin.write',
        { coordinatorId: caller.coordinatorId, params: request.params as Record<string, string> },
        reply,
      );
    }
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation.map((v) => ({
        path: [v.instancePath.replace(/^\//, '').replace(/\//g, '.')].filter(Boolean).join('.') || '(body)',
        message: v.message ?? 'Invalid value.',
      }));
      return reply.code(400).send({
        error: 'invalid_request',
        message: `The request is not valid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
        issues,
      });
    }
    if (isTransientDbError(error)) {
      request.log.warn({ err: error }, 'transient database error');
      return reply
        .code(503)
        .header('retry-after', '5')
        .send({ error: 'unavailable', message: 'The server is busy; try again shortly.' });
    }
    const status = error.statusCode ?? 500;
    if (status === 429) {
      return reply
        .code(429)
        .send({ error: 'rate_limited', message: 'Too many attempts from this address. Wait a minute and try again.' });
    }
    if (status >= 400 && status < 500) {
      return reply.code(status).send({ error: error.code ?? 'bad_request', message: humanMessage(error) });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply
      .code(500)
      .send({ error: 'internal', message: 'Something went wrong on the server. Nothing was changed.' });
  });

  await app.register(healthRoutes);
  await app.register(syncRoutes, { prefix: '/api/v1' });
  await app.register(enrolRoutes, { prefix: '/api/v1' });
  await app.register(coordinatorAuthRoutes, { prefix: '/api/v1' });
  await app.register(rosterRoutes, { prefix: '/api/v1' });
  await app.register(fileRoutes, { prefix: '/api/v1' });
  await app.register(uploadRoutes, { prefix: '/api/v1' });
  await app.register(publishingRoutes, { prefix: '/api/v1' });
  await app.register(reportRoutes, { prefix: '/api/v1' });
  await app.register(coordinatorViewRoutes, { prefix: '/api/v1' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(staticRoutes);
  return app;
}

const MAX_JSON_DEPTH = 32;

const API_HEADERS = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], baseUri: ["'none'"], frameAncestors: ["'none'"] },
  },
  crossOriginOpenerPolicy: false,
  originAgentCluster: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xFrameOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
} as const;

/** Depth of a parsed JSON value, counted without recursion; stops early once past `limit`. */
function nestingDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Object.values(v as Record<string, unknown>)) stack.push([child, depth + 1]);
  }
  return deepest;
}

function humanMessage(error: FastifyError): string {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'The request body is too large.';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'Send the body as application/json.';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'The request body is empty; send a JSON object.';
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return 'The request body is not valid JSON.';
    default:
      return error.message;
  }
}
