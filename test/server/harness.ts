/**
 * Builds a real Vaka server for a test, through Fastify's inject (no port),
 * on a fresh SQLite database or a fresh PostgreSQL database when
 * TEST_DATABASE_URL points at a cluster. `npm test` always provides one and
 * sets REQUIRE_POSTGRES=1, so the PostgreSQL half can never be skipped silently.
 * Every answer the server gives is checked against its OpenAPI document
 * when the test closes it (openapi-contract.ts): an undocumented answer
 * fails the suite.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app';
import { recordAnswers } from './openapi-contract';
import { loadConfig, type ServerConfig } from '../../src/server/config';
import { openDatabase, type DatabaseHandle, type DatabaseTarget } from '../../src/server/db/connection';

export type DbKind = 'sqlite' | 'postgres';

const pgUrl = process.env.TEST_DATABASE_URL;
if (!pgUrl && process.env.REQUIRE_POSTGRES === '1') {
  throw new Error('REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set: the PostgreSQL suite would be skipped.');
}
if (!pgUrl) console.warn('TEST_DATABASE_URL not set: server tests run on SQLite only (npm test runs both).');

export const DB_KINDS: DbKind[] = pgUrl ? ['sqlite', 'postgres'] : ['sqlite'];

export interface TestServer {
  app: FastifyInstance;
  database: DatabaseHandle;
  config: ServerConfig;
  clock: { now: Date };
  close(): Promise<void>;
}

async function freshTarget(kind: DbKind, dir: string): Promise<{ target: DatabaseTarget; drop: () => Promise<void> }> {
  if (kind === 'sqlite') return { target: { kind: 'sqlite', path: path.join(dir, 'vaka.db') }, drop: async () => {} };
  const name = `vaka_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(pgUrl!);
  url.pathname = `/${name}`;
  return {
    target: { kind: 'postgres', url: url.toString() },
    drop: async () => {
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export async function startTestServer(kind: DbKind, env: Record<string, string> = {}): Promise<TestServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vaka-test-'));
  const { target, drop } = await freshTarget(kind, dir);
  const config: ServerConfig = {
    ...loadConfig({
      STATIC_DIR: path.join(dir, 'no-static'),
      LOG_LEVEL: 'silent',
      AUTH_RATE_LIMIT_PER_MINUTE: '1000',
      ...env,
    }),
    database: target,
    filesDir: path.join(dir, 'files'),
  };
  const database = await openDatabase(target);
  const clock = { now: new Date('2026-11-27T00:00:00Z') };
  const app = await buildApp({ database, config, now: () => clock.now });
  const contract = recordAnswers(app);
  await app.ready();
  return {
    app,
    database,
    config,
    clock,
    async close() {
      const undocumented = await contract.check();
      await app.close();
      await database.close();
      await drop();
      // @tus/file-store creates its folder with a callback that throws if the folder vanished first.
      await new Promise((r) => setTimeout(r, 50));
      fs.rmSync(dir, { recursive: true, force: true });
      if (undocumented.length)
        throw new Error(`Answers the OpenAPI document does not describe:\n${undocumented.join('\n')}`);
    },
  };
}
