/**
 * Server configuration from the environment, validated once at start so a
 * typo fails loudly instead of running with a surprise default.
 */
import * as z from 'zod';
import path from 'node:path';

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  /** postgres://… selects PostgreSQL; unset means the embedded SQLite file. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { error: 'DATABASE_URL must start with postgres:// (leave it unset for SQLite).' })
    .optional(),
  DATABASE_PATH: z.string().default(path.join('data', 'vaka.db')),
  /** Where uploaded and published files are kept, by sha256. */
  FILES_DIR: z.string().optional(),
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
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type ServerConfig = {
  port: number;
  host: string;
  database: { kind: 'postgres'; url: string } | { kind: 'sqlite'; path: string };
  filesDir: string;
  staticDir: string | null;
  demoContent: boolean;
  demoCoordinator: boolean;
  enrolmentCodeTtlHours: number;
  trustProxy: boolean;
  authRateLimitPerMinute: number;
  logLevel: z.infer<typeof Env>['LOG_LEVEL'];
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const parsed = Env.safeParse(env);
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
    database,
    filesDir: e.FILES_DIR ?? path.join(dataDir, 'files'),
    staticDir: e.STATIC_DIR,
    demoContent: e.DEMO_CONTENT === '1',
    demoCoordinator: e.DEMO_COORDINATOR === '1',
    enrolmentCodeTtlHours: e.ENROLMENT_CODE_TTL_HOURS,
    trustProxy: e.TRUST_PROXY === '1',
    authRateLimitPerMinute: e.AUTH_RATE_LIMIT_PER_MINUTE,
    logLevel: e.LOG_LEVEL,
  };
}
