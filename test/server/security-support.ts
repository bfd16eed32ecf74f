/**
 * Shared by the security-*.test.ts files: tus uploads through inject, a
 * snapshot of everything the server stores (to prove a refused request
 * wrote nothing), every stored row as text (to look for secrets at rest),
 * the route list of the running app, and two participants A and B with
 * records, files, uploads and a workshop of B's own.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import pg from 'pg';
import { buildApp } from '../../src/server/app';
import { recordAnswers } from './openapi-contract';
import { loadConfig, type ServerConfig } from '../../src/server/config';
import { openDatabase, type DatabaseTarget } from '../../src/server/db/connection';
import type { DbKind, TestServer } from './harness';
import {
  action,
  addParticipant,
  addWorkshop,
  coordinatorToken,
  enrol,
  issueCode,
  sync,
  type TestDevice,
} from './fixtures';

export const TABLES = [
  'meta',
  'scope_seq',
  'scope_ids',
  'records',
  'roster',
  'devices',
  'mutation_results',
  'enrolment_codes',
  'coordinators',
  'coordinator_sessions',
  'conflict_log',
  'files',
] as const;

export const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');
const b64 = (v: string) => Buffer.from(v).toString('base64');

/** Every row of every table the server keeps, one JSON line each (plus any table a later migration adds). */
export async function allRows(s: TestServer): Promise<string[]> {
  const out: string[] = [];
  for (const t of TABLES) {
    const rows = (await s.database.db.selectFrom(t).selectAll().execute()) as Record<string, unknown>[];
    for (const r of rows) out.push(`${t} ${JSON.stringify(r)}`);
  }
  return out;
}

/** Everything the server stores, minus the last-contact time any authenticated call may move. */
export async function snapshot(s: TestServer): Promise<string> {
  const hash = createHash('sha256');
  for (const t of TABLES) {
    const rows = (await s.database.db.selectFrom(t).selectAll().execute()) as Record<string, unknown>[];
    const clean = rows
      .map((r) => {
        const { last_seen_at: _seen, ...rest } = r;
        return JSON.stringify(rest);
      })
      .sort();
    hash.update(`${t}:${rows.length}:${clean.join('\n')}\n`);
  }
  const files: string[] = [];
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else files.push(`${full}:${fs.statSync(full).size}`);
    }
  };
  walk(s.config.filesDir);
  hash.update(files.sort().join('\n'));
  return hash.digest('hex');
}

export function uploadMetadata(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([k, v]) => `${k} ${b64(v)}`)
    .join(',');
}

/** Random bytes that start like a JPEG, so the upload's content check (upload-policy.ts) takes them as image/jpeg. */
export function jpegBytes(length: number): Buffer {
  const bytes = randomBytes(length);
  bytes.set([0xff, 0xd8, 0xff, 0xe0], 0);
  return bytes;
}

/** Creates a tus upload; returns its path (/api/v1/uploads/<id>) and the answer. */
export async function tusCreate(
  s: TestServer,
  token: string | null,
  length: number,
  sha: string,
  filetype = 'image/jpeg',
): Promise<{ status: number; location: string | null; body: string }> {
  const res = await s.app.inject({
    method: 'POST',
    url: '/api/v1/uploads',
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      'tus-resumable': '1.0.0',
      'upload-length': String(length),
      'upload-metadata': uploadMetadata({ filename: 'evidence.bin', filetype, sha256: sha }),
    },
  });
  const location = typeof res.headers.location === 'string' ? new URL(res.headers.location, 'http://x').pathname : null;
  return { status: res.statusCode, location, body: res.body };
}

export async function tusPatch(s: TestServer, token: string | null, location: string, offset: number, chunk: Buffer) {
  return s.app.inject({
    method: 'PATCH',
    url: location,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      'tus-resumable': '1.0.0',
      'upload-offset': String(offset),
      'content-type': 'application/offset+octet-stream',
    },
    payload: chunk,
  });
}

/**
 * A whole file through tus in one PATCH; returns the final answer's status once the tus server has also
 * removed its own copy (it does so after answering), so later snapshots see a settled files folder.
 */
export async function tusUpload(s: TestServer, token: string, bytes: Buffer, filetype = 'image/jpeg', sha?: string) {
  const created = await tusCreate(s, token, bytes.length, sha ?? sha256(bytes), filetype);
  if (created.status !== 201 || !created.location) return { status: created.status, body: created.body };
  const res = await tusPatch(s, token, created.location, 0, bytes);
  const leftover = path.join(s.config.filesDir, '.uploads', path.basename(created.location));
  for (let i = 0; i < 100 && (fs.existsSync(leftover) || fs.existsSync(`${leftover}.json`)); i++)
    await new Promise((r) => setTimeout(r, 10));
  return { status: res.statusCode, body: res.body };
}

/**
 * Every route of the running app as "METHOD /path", read from
 * `app.printRoutes({ commonPrefix: false })`: a tree whose lines are
 * "<indent>├── <segment> (GET, HEAD)", four characters of indent a level.
 */
export function enumerateRoutes(s: TestServer): Map<string, Set<string>> {
  const tree = s.app.printRoutes({ commonPrefix: false });
  const stack: string[] = [];
  const routes = new Map<string, Set<string>>();
  for (const line of tree.split('\n')) {
    const m = /^([\s│├└─]*?)(?:[├└]── )(\S.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = [...m[1]!].length / 4;
    stack.length = depth;
    // A wildcard child prints without the slash that separates it from its parent ("/uploads" → "*").
    const parent = stack.join('');
    stack.push(m[2]!.startsWith('*') && parent !== '' && !parent.endsWith('/') ? `/${m[2]!}` : m[2]!);
    if (!m[3]) continue;
    const full = stack.join('');
    const methods = routes.get(full) ?? new Set<string>();
    for (const method of m[3].split(',').map((x) => x.trim())) methods.add(method);
    routes.set(full, methods);
  }
  return routes;
}

export interface Participants {
  coordinator: string;
  /** A workshop both attended, and one only B attended. */
  sharedWorkshop: string;
  bWorkshop: string;
  aId: string;
  bId: string;
  a: TestDevice;
  b: TestDevice;
  /** B's second phone, revoked by the coordinator. */
  bRevoked: TestDevice;
  /** B's own records: a follow-up action naming an evidence file, a survey response, an evaluation. */
  bRecords: { action: string; survey: string; evaluation: string };
  bEvidenceSha: string;
  /** A participants-only material of B's workshop, its file, and an agenda session there. */
  bMaterial: string;
  bMaterialSha: string;
  bSession: string;
  toolSummary: string;
  /** B's unfinished upload (/api/v1/uploads/<id>) and how many bytes it holds. */
  bUpload: string;
  bUploadOffset: number;
}

export async function twoParticipants(s: TestServer): Promise<Participants> {
  const coordinator = await coordinatorToken(s);
  const auth = { authorization: `Bearer ${coordinator}` };
  const sharedWorkshop = await addWorkshop(s);
  const bWorkshop = await addWorkshop(s, { title: 'Workshop only B attended' });
  const aId = await addParticipant(s, coordinator, [sharedWorkshop], 'FJ');
  const bId = await addParticipant(s, coordinator, [sharedWorkshop, bWorkshop], 'WS');
  const a = await enrol(s, await issueCode(s, coordinator, aId));
  const b = await enrol(s, await issueCode(s, coordinator, bId));
  const bRevoked = await enrol(s, await issueCode(s, coordinator, bId));
  const revoked = await s.app.inject({
    method: 'POST',
    url: `/api/v1/devices/${bRevoked.deviceId}/revoke`,
    headers: auth,
  });
  if (revoked.statusCode !== 204) throw new Error(`revoke failed: ${revoked.body}`);

  // B's evidence, uploaded by B's phone and named in B's follow-up action.
  const evidence = jpegBytes(4000);
  const bEvidenceSha = sha256(evidence);
  const up = await tusUpload(s, b.token, evidence);
  if (up.status !== 204) throw new Error(`evidence upload failed: ${up.status} ${up.body}`);
  const bRecords = { action: randomUUID(), survey: randomUUID(), evaluation: randomUUID() };
  const pushed = await sync(s, b.token, {
    mutations: [
      {
        mid: 1,
        op: 'create',
        collection: 'followUpActions',
        recordId: bRecords.action,
        fields: action(bId, bWorkshop, {
          description: 'B’s private note',
          evidence: [{ sha256: bEvidenceSha, name: 'b.jpg', mediaType: 'image/jpeg', byteSize: evidence.length }],
        }),
      },
      {
        mid: 2,
        op: 'create',
        collection: 'surveyResponses',
        recordId: bRecords.survey,
        fields: { participantId: bId, workshopId: sharedWorkshop, status: 'draft', otherActions: 'B’s draft' },
      },
      {
        mid: 3,
        op: 'create',
        collection: 'evaluations',
        recordId: bRecords.evaluation,
        fields: {
          participantId: bId,
          workshopId: bWorkshop,
          overall: 5,
          relevance: 4,
          materials: 4,
          facilitation: 5,
          comment: 'B’s comment',
        },
      },
    ],
  });
  const statuses = pushed.body.results.map((r) => r.status);
  if (statuses.join() !== 'applied,applied,applied') throw new Error(`B's records: ${pushed.raw}`);

  // A participants-only material of B's workshop, published by the coordinator through tus and the API.
  const slides = Buffer.from('%PDF-1.4 participants only '.repeat(40));
  const bMaterialSha = sha256(slides);
  const put = await tusUpload(s, coordinator, slides, 'application/pdf');
  if (put.status !== 204) throw new Error(`material upload failed: ${put.status} ${put.body}`);
  const bMaterial = randomUUID();
  const published = await s.app.inject({
    method: 'PUT',
    url: `/api/v1/materials/${bMaterial}`,
    headers: auth,
    payload: {
      id: bMaterial,
      workshopId: bWorkshop,
      title: 'Slides for B’s workshop',
      language: 'en',
      mediaType: 'application/pdf',
      sha256: bMaterialSha,
      audience: 'participants',
    },
  });
  if (published.statusCode !== 200) throw new Error(`material failed: ${published.body}`);
  const bSession = randomUUID();
  const session = await s.app.inject({
    method: 'PUT',
    url: `/api/v1/agenda-sessions/${bSession}`,
    headers: auth,
    payload: sessionBody(bSession, bWorkshop),
  });
  if (session.statusCode !== 200) throw new Error(`session failed: ${session.body}`);
  const toolSummary = randomUUID();
  const tool = await s.app.inject({
    method: 'PUT',
    url: `/api/v1/tool-summaries/${toolSummary}`,
    headers: auth,
    payload: toolBody(toolSummary),
  });
  if (tool.statusCode !== 200) throw new Error(`tool summary failed: ${tool.body}`);

  // B's unfinished upload.
  const partial = jpegBytes(1000);
  const created = await tusCreate(s, b.token, partial.length, sha256(partial));
  if (created.status !== 201 || !created.location) throw new Error(`upload failed: ${created.body}`);
  const bUploadOffset = 100;
  const first = await tusPatch(s, b.token, created.location, 0, partial.subarray(0, bUploadOffset));
  if (first.statusCode !== 204) throw new Error(`patch failed: ${first.body}`);

  return {
    coordinator,
    sharedWorkshop,
    bWorkshop,
    aId,
    bId,
    a,
    b,
    bRevoked,
    bRecords,
    bEvidenceSha,
    bMaterial,
    bMaterialSha,
    bSession,
    toolSummary,
    bUpload: created.location,
    bUploadOffset,
  };
}

export function workshopBody(id: string, title = 'A workshop') {
  return {
    id,
    title,
    kind: 'national',
    topic: 'Risk management',
    startDate: '2027-02-01',
    endDate: '2027-02-03',
    timeZone: 'Pacific/Tongatapu',
    mode: 'in-person',
    venue: { city: "Nuku'alofa", country: 'Tonga' },
    organisers: ['ROCB A/P'],
  };
}

export function sessionBody(id: string, workshopId: string) {
  return { id, workshopId, date: '2022-06-14', start: '09:00', end: '10:30', title: 'Opening' };
}

export function toolBody(id: string, title = 'Customs laboratories') {
  return {
    id,
    slug: `lab-${id.slice(0, 8)}`,
    title,
    body: 'Guidance on running a **customs laboratory**.',
    officialUrl: 'https://www.wcoomd.org/',
  };
}

export interface LoggedServer extends TestServer {
  /** Every line the server logged, as written. */
  lines: string[];
}

/**
 * Like harness.startTestServer, with the logger on at `trace` and its lines kept, so a test can read the
 * security log and search all of it for secrets.
 */
export async function startLoggedServer(kind: DbKind, env: Record<string, string> = {}): Promise<LoggedServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vaka-seclog-'));
  let target: DatabaseTarget = { kind: 'sqlite', path: path.join(dir, 'vaka.db') };
  let drop = async () => {};
  const pgUrl = process.env.TEST_DATABASE_URL;
  if (kind === 'postgres') {
    if (!pgUrl) throw new Error('TEST_DATABASE_URL is not set');
    const name = `vaka_seclog_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(pgUrl);
    url.pathname = `/${name}`;
    target = { kind: 'postgres', url: url.toString() };
    drop = async () => {
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  }
  const config: ServerConfig = {
    ...loadConfig({
      STATIC_DIR: path.join(dir, 'no-static'),
      LOG_LEVEL: 'trace',
      AUTH_RATE_LIMIT_PER_MINUTE: '1000',
      ...env,
    }),
    database: target,
    filesDir: path.join(dir, 'files'),
  };
  const database = await openDatabase(target);
  const clock = { now: new Date('2026-11-27T00:00:00Z') };
  const lines: string[] = [];
  const app = await buildApp({ database, config, now: () => clock.now, logStream: { write: (l) => lines.push(l) } });
  const contract = recordAnswers(app);
  await app.ready();
  return {
    app,
    database,
    config,
    clock,
    lines,
    async close() {
      const undocumented = await contract.check();
      await app.close();
      await database.close();
      await drop();
      await new Promise((r) => setTimeout(r, 50));
      fs.rmSync(dir, { recursive: true, force: true });
      if (undocumented.length)
        throw new Error(`Answers the OpenAPI document does not describe:\n${undocumented.join('\n')}`);
    },
  };
}
