/**
 * Server configuration from the environment, validated once at start so a
 * typo fails loudly instead of running with a surprise default.
 */
import * as z from 'zod';
import path from 'node:path';
import type { S3Settings } from './files/s3-store';

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  /** postgres://… selects PostgreSQL; unset or empty means the embedded SQLite file. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { error: 'DATABASE_URL must start with postgres:// (leave it empty for SQLite).' })
    .optional(),
  /** Where people open Vaka: the origin of every link the server and the CLI print. */
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'PUBLIC_URL must be an http(s) address such as https://vaka.example.org.' })
    .optional(),
  /** smtp://[user:pass@]host:port (smtps:// for TLS from the start); unset means no e-mail. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, { error: 'SMTP_URL must start with smtp:// or smtps:// (leave it empty for no e-mail).' })
    .optional(),
  /** The sender of follow-up e-mails, e.g. `Vaka <vaka@example.org>`. */
  MAIL_FROM: z.string().max(320).optional(),
  DATABASE_PATH: z.string().default(path.join('data', 'vaka.db')),
  /** Where uploaded and published files are kept, by sha256. */
  FILES_DIR: z.string().optional(),
  /** Keep files on this S3-compatible bucket instead of FILES_DIR (credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY). */
  S3_BUCKET: z.string().min(3).max(63).optional(),
  /** For stores other than AWS (radosgw, MinIO…): their address; path-style addressing is used then. */
  S3_ENDPOINT: z.url({ protocol: /^https?$/, error: 'S3_ENDPOINT must be an http(s) address.' }).optional(),
  S3_REGION: z.string().default('us-east-1'),
  /** Bearer token for GET /api/metrics; unset, the route does not exist. */
  METRICS_TOKEN: z.string().min(16, { error: 'METRICS_TOKEN must be at least 16 characters.' }).optional(),
  /** Built PWA to serve; absent in API-only tests. */
  STATIC_DIR: z.string().default('dist'),
  /** Load the demo content pack into an empty database (on unless set to 0). */
  DEMO_CONTENT: z.enum(['0', '1']).default('1'),
  /** Create a demo coordinator with a one-off random password printed at start. */
  DEMO_COORDINATOR: z.enum(['0', '1']).default('1'),
  ENROLMENT_CODE_TTL_HOURS: z.coerce.number().positive().default(48),
  TRUST_PROXY: z.enum(['0', '1']).default('0'),
  /** Enrolment and sign-in attempts allowed per client address per minute. */
  AUTH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(10),
  /** required: no coordinator route answers before the second factor; optional: only for those who set one up. */
  COORDINATOR_MFA: z.enum(['required', 'optional']).default('optional'),
  /** A coordinator session ends after this many minutes without a request. */
  COORDINATOR_IDLE_MINUTES: z.coerce.number().int().min(1).max(1440).default(30),
  /** …and this many hours after sign-in, however active. */
  COORDINATOR_SESSION_HOURS: z.coerce.number().int().min(1).max(168).default(12),
  /** Bytes one participant (or coordinator) may have uploaded in all, in MB. */
  UPLOAD_QUOTA_MB: z.coerce.number().positive().default(200),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type ServerConfig = {
  port: number;
  host: string;
  /** PUBLIC_URL without a trailing slash; http://localhost:PORT when unset. */
  publicUrl: string;
  database: { kind: 'postgres'; url: string } | { kind: 'sqlite'; path: string };
  /** Null: follow-up messages go by Web Push only. */
  smtpUrl: string | null;
  mailFrom: string | null;
  filesDir: string;
  /** Null: files live in filesDir on the local disk. */
  s3: S3Settings | null;
  /** Null: no GET /api/metrics. */
  metricsToken: string | null;
  staticDir: string | null;
  demoContent: boolean;
  demoCoordinator: boolean;
  enrolmentCodeTtlHours: number;
  trustProxy: boolean;
  authRateLimitPerMinute: number;
  coordinatorMfa: 'required' | 'optional';
  coordinatorIdleMinutes: number;
  coordinatorSessionHours: number;
  uploadQuotaBytes: number;
  logLevel: z.infer<typeof Env>['LOG_LEVEL'];
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  // Container tools write `DATABASE_URL=` for a variable left blank: an empty value means unset.
  const parsed = Env.safeParse(Object.fromEntries(Object.entries(env).filter(([, value]) => value !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const database = e.DATABASE_URL
    ? ({ kind: 'postgres', url: e.DATABASE_URL } as const)
    : ({ kind: 'sqlite', path: e.DATABASE_PATH } as const);
  const dataDir = database.kind === 'sqlite' && database.path !== ':memory:' ? path.dirname(database.path) : 'data';
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    database,
    smtpUrl: e.SMTP_URL ?? null,
    mailFrom: e.MAIL_FROM ?? null,
    filesDir: e.FILES_DIR ?? path.join(dataDir, 'files'),
    s3: e.S3_BUCKET
      ? { bucket: e.S3_BUCKET, region: e.S3_REGION, ...(e.S3_ENDPOINT ? { endpoint: e.S3_ENDPOINT } : {}) }
      : null,
    metricsToken: e.METRICS_TOKEN ?? null,
    staticDir: e.STATIC_DIR,
    demoContent: e.DEMO_CONTENT === '1',
    demoCoordinator: e.DEMO_COORDINATOR === '1',
    enrolmentCodeTtlHours: e.ENROLMENT_CODE_TTL_HOURS,
    trustProxy: e.TRUST_PROXY === '1',
    authRateLimitPerMinute: e.AUTH_RATE_LIMIT_PER_MINUTE,
    coordinatorMfa: e.COORDINATOR_MFA,
    coordinatorIdleMinutes: e.COORDINATOR_IDLE_MINUTES,
    coordinatorSessionHours: e.COORDINATOR_SESSION_HOURS,
    uploadQuotaBytes: Math.round(e.UPLOAD_QUOTA_MB * 1024 * 1024),
    logLevel: e.LOG_LEVEL,
  };
}
