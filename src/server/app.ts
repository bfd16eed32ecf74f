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
}

export async function buildApp(opts: BuildOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ? { level: opts.config.logLevel } : false,
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
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    // HSTS only where TLS is really in front of us; see the onSend hook below.
    hsts: false,
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onSend', async (request, reply) => {
    if (request.protocol === 'https') reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
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
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
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
