/**
 * The Vaka server as a Fastify plugin tree, registered in the order a
 * request meets it: response headers, compression both ways, rate limits,
 * the OpenAPI document, who is calling, body checks, the security log and
 * error answers; then the API routes (coordinator routes behind one guard)
 * and the built PWA. Every request is validated by the zod schema its route
 * declares. `buildApp` takes an open database so tests can run it through
 * `inject` on SQLite or PostgreSQL without a port; `main.ts` only listens.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import compress from '@fastify/compress';
import rateLimit from '@fastify/rate-limit';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { ServerConfig } from './config';
import type { DatabaseHandle } from './db/connection';
import type { Caller } from './auth/identity';
import { callerIdentity } from './auth/caller';
import { securityHeaders } from './http/security-headers';
import { openApi, openApiRoute } from './http/openapi';
import { bodyDepthLimit } from './http/body-depth';
import { syncAdmission } from './http/admission';
import { errorAnswers } from './http/errors';
import { securityLog } from './security-log';
import { healthRoutes } from './routes/health';
import { syncRoutes } from './routes/sync';
import { enrolRoutes } from './routes/enrol';
import { coordinatorAuthRoutes } from './routes/coordinator-auth';
import { fileRoutes } from './routes/files';
import { uploadRoutes } from './routes/uploads';
import { coordinatorRoutes } from './routes/coordinator';
import { staticRoutes } from './routes/static';
import { messageRoutes, withoutUrlSecrets } from './routes/messages';
import { createMessageService, type MessageService } from './messages/service';
import pg from 'pg';
import { MemoryLocker, type Locker } from '@tus/server';
import type { FileStorage } from './files/storage';
import { openFileStorage } from './files/open';
import { PgAdvisoryLocker } from './files/pg-locker';
import { databaseRateLimitStore } from './http/rate-limit-store';
import { metrics } from './http/metrics';

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
  /** The follow-up round's invitations, reminders and feedback (messages/service.ts). */
  messages: MessageService;
  /** Where files' bytes live: the local disk or an S3-compatible bucket (files/open.ts). */
  files: FileStorage;
  /** Locks tus uploads: across instances on PostgreSQL (advisory locks), in memory on SQLite. */
  uploadLocker: Locker;
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
            // The one-click unsubscribe link carries its token in the path (RFC 8058): keep it out of the access log.
            serializers: {
              req: (req: { method: string; url: string; host?: string; ip?: string }) => ({
                method: req.method,
                url: withoutUrlSecrets(req.url),
                host: req.host,
                remoteAddress: req.ip,
              }),
            },
          }
        : false,
    // Each log line of a request carries its id (`reqId`); a UUID stays unique across instances.
    genReqId: () => randomUUID(),
    bodyLimit: 256 * 1024,
    trustProxy: opts.config.trustProxy,
    // Prototype-pollution keys in JSON bodies are refused outright.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const messages = createMessageService({
    db: opts.database.db,
    dialect: opts.database.dialect,
    publicUrl: opts.config.publicUrl,
    smtpUrl: opts.config.smtpUrl,
    mailFrom: opts.config.mailFrom,
    log: { info: (msg) => app.log.info(msg), warn: (msg) => app.log.warn(msg) },
  });
  app.addHook('onClose', async () => messages.close());
  // The VAPID key pair is made at first start and kept in the database, so every instance signs pushes alike
  // and no request ever has to write it.
  await messages.vapidPublicKey();
  const files = openFileStorage(opts.config);
  app.addHook('onClose', async () => files.close());
  const database = opts.config.database;
  let uploadLocker: Locker = new MemoryLocker();
  if (opts.database.dialect === 'postgres' && database.kind === 'postgres') {
    const lockPool = new pg.Pool({ connectionString: database.url, max: 20 });
    const pgLocker = new PgAdvisoryLocker(lockPool);
    uploadLocker = pgLocker;
    app.addHook('onClose', async () => {
      await pgLocker.close();
      await lockPool.end();
    });
  }
  app.decorate('vaka', {
    db: opts.database.db,
    dialect: opts.database.dialect,
    config: opts.config,
    now: opts.now ?? (() => new Date()),
    messages,
    files,
    uploadLocker,
  });

  await app.register(securityHeaders);
  await app.register(syncAdmission);
  await app.register(compress, { global: true, encodings: ['br', 'gzip'], threshold: 512 });
  await app.register(rateLimit, { global: false, store: databaseRateLimitStore(opts.database.db) });
  await app.register(openApi);
  await app.register(callerIdentity);
  await app.register(bodyDepthLimit);
  await app.register(securityLog);
  await app.register(errorAnswers);

  await app.register(metrics);
  await app.register(healthRoutes);
  await app.register(syncRoutes, { prefix: '/api/v1' });
  await app.register(enrolRoutes, { prefix: '/api/v1' });
  await app.register(coordinatorAuthRoutes, { prefix: '/api/v1' });
  await app.register(fileRoutes, { prefix: '/api/v1' });
  await app.register(uploadRoutes, { prefix: '/api/v1' });
  await app.register(coordinatorRoutes, { prefix: '/api/v1' });
  await app.register(messageRoutes, { prefix: '/api/v1/messages' });
  await app.register(openApiRoute);
  await app.register(staticRoutes);
  return app;
}
