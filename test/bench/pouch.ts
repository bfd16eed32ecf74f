/**
 * The PouchDB side of the sync benchmark: starts the express-pouchdb peer
 * (pouch-server.ts) and plays the phone with an in-memory PouchDB that runs
 * `PouchDB.sync` (replication both ways, default batch sizes and
 * checkpoints) against it through the same proxy as Vaka. A lost response
 * makes the one-shot sync fail; it is started again at once, as the Vaka
 * phone is, and PouchDB resumes from its last checkpoint.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ROOT, freePort, ownChild, tempDir } from './server';
import { withTimeout } from './stats';

const require = createRequire(import.meta.url);

export interface PouchDoc {
  _id: string;
  _rev?: string;
  _conflicts?: string[];
  [field: string]: unknown;
}

interface AllDocsResult {
  total_rows: number;
  rows: { id: string; doc?: PouchDoc }[];
}

/** The slice of PouchDB's API the benchmark uses (PouchDB ships no types). */
export interface PouchDatabase {
  bulkDocs(docs: PouchDoc[]): Promise<unknown[]>;
  put(doc: PouchDoc): Promise<unknown>;
  allDocs(options?: { include_docs?: boolean; conflicts?: boolean }): Promise<AllDocsResult>;
  info(): Promise<{ doc_count: number }>;
  close(): Promise<void>;
  destroy(): Promise<void>;
}

interface Replication extends PromiseLike<unknown> {
  cancel(): void;
}

type FetchLike = (url: string, options: Record<string, unknown>) => Promise<unknown>;

interface PouchStatic {
  new (name: string, options?: { adapter?: string; fetch?: FetchLike }): PouchDatabase;
  fetch: FetchLike;
  plugin(plugin: unknown): PouchStatic;
  sync(source: PouchDatabase, target: PouchDatabase, options?: Record<string, unknown>): Replication;
}

const PouchDB = (require('pouchdb') as PouchStatic).plugin(require('pouchdb-adapter-memory'));

export function localDb(name: string): PouchDatabase {
  return new PouchDB(name, { adapter: 'memory' });
}

/**
 * In Node, PouchDB's fetch (node-fetch 2) sends "Connection: close" unless
 * given an agent, which would open a TCP connection per request. A browser
 * keeps connections alive, at most 6 per host: so does this agent.
 */
const browserLikeAgent = new http.Agent({ keepAlive: true, maxSockets: 6 });

export function remoteDb(url: string): PouchDatabase {
  return new PouchDB(url, { fetch: (u, options) => PouchDB.fetch(u, { ...options, agent: browserLikeAgent }) });
}

export interface PouchServer {
  port: number;
  url: string;
  stop(): Promise<void>;
}

export async function startPouchServer(): Promise<PouchServer> {
  const port = await freePort();
  // Resolved here: the child's working directory is a temp dir where 'tsx' cannot be found by name.
  const proc = spawn(
    process.execPath,
    ['--import', import.meta.resolve('tsx'), path.join(ROOT, 'test/bench/pouch-server.ts')],
    {
      // express-pouchdb may write a log or config file into its working directory.
      cwd: tempDir('pouch'),
      env: { ...process.env, PORT: String(port) },
      // stdin stays open: the peer exits when it closes, i.e. when this process is gone.
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  ownChild(proc);
  let output = '';
  await withTimeout(
    new Promise<void>((resolve, reject) => {
      proc.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (output.includes('listening')) resolve();
      });
      proc.stderr?.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
      });
      proc.once('exit', (code) => reject(new Error(`express-pouchdb exited (${code}): ${output.slice(-500)}`)));
    }),
    30_000,
    'starting express-pouchdb',
  );
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (proc.exitCode !== null) return;
      const exited = new Promise((resolve) => proc.once('exit', resolve));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** doc_count of a database on the peer, asked directly (not through the proxy, so it is not counted). */
export async function remoteDocCount(serverUrl: string, db: string): Promise<number> {
  const res = await fetch(`${serverUrl}/${db}`);
  if (!res.ok) return -1;
  return ((await res.json()) as { doc_count: number }).doc_count;
}

export async function syncOnce(local: PouchDatabase, remote: PouchDatabase, limitMs: number): Promise<void> {
  const replication = PouchDB.sync(local, remote);
  try {
    await withTimeout(Promise.resolve(replication), limitMs, 'PouchDB.sync');
  } catch (err) {
    replication.cancel();
    throw err;
  }
}

export interface PouchRun {
  attempts: number;
  failures: number;
  /** False when the deadline came first: both sides did not yet hold every document. */
  converged: boolean;
}

/**
 * Runs one-shot syncs until both sides hold `expected` documents. A fresh
 * remote handle per sync, as after an app start, so PouchDB's own set-up
 * request (GET /db) is counted like everything else a sync needs. With a
 * deadline (performance.now() time) the replication in flight is cancelled
 * when it comes and the run reports that it did not converge.
 */
export async function syncUntilBothHave(
  local: PouchDatabase,
  remoteUrl: string,
  check: { serverUrl: string; db: string; expected: number },
  maxAttempts = 200,
  limitMs = 300_000,
  deadline = Number.POSITIVE_INFINITY,
): Promise<PouchRun> {
  let attempts = 0;
  let failures = 0;
  while (attempts < maxAttempts) {
    const left = deadline - performance.now();
    if (left <= 0) return { attempts, failures, converged: false };
    attempts++;
    const remote = remoteDb(remoteUrl);
    try {
      await syncOnce(local, remote, Math.min(limitMs, left));
    } catch {
      failures++;
    }
    const localCount = (await local.info()).doc_count;
    const remoteCount = await remoteDocCount(check.serverUrl, check.db);
    if (localCount === check.expected && remoteCount === check.expected) return { attempts, failures, converged: true };
  }
  throw new Error(`PouchDB sync did not converge in ${maxAttempts} attempts`);
}

/** Documents with more than one leaf revision: what a replayed write would leave behind. */
export async function conflictedDocs(db: PouchDatabase): Promise<number> {
  const all = await db.allDocs({ include_docs: true, conflicts: true });
  return all.rows.filter((r) => (r.doc?._conflicts?.length ?? 0) > 0).length;
}
