/**
 * Real parts for the messages tests: a fresh database of each kind (SQLite
 * file, or a throwaway PostgreSQL database when TEST_DATABASE_URL is set,
 * like test/server/harness.ts), a workshop with participants written through
 * the server's own record writer, an SMTP server (smtp-server) whose
 * messages are parsed with mailparser, and an HTTPS endpoint standing in for
 * a push service that decrypts each payload (RFC 8291) with the keys of
 * subscriptions made here.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import https from 'node:https';
import { execFileSync } from 'node:child_process';
import { createDecipheriv, createECDH, hkdfSync, randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { openDatabase, type DatabaseHandle, type DatabaseTarget } from '../../src/server/db/connection';
import { putRecord } from '../../src/server/sync/publish';

export type DbKind = 'sqlite' | 'postgres';
const pgUrl = process.env.TEST_DATABASE_URL;
if (!pgUrl && process.env.REQUIRE_POSTGRES === '1') {
  throw new Error('REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set: the PostgreSQL suite would be skipped.');
}
export const DB_KINDS: DbKind[] = pgUrl ? ['sqlite', 'postgres'] : ['sqlite'];

export interface TestDb {
  handle: DatabaseHandle;
  target: DatabaseTarget;
  /** Opens another connection pool on the same database (a second server instance). */
  reopen(): Promise<DatabaseHandle>;
  close(): Promise<void>;
}

export async function freshDb(kind: DbKind): Promise<TestDb> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vaka-msg-'));
  let target: DatabaseTarget;
  let drop = async () => {};
  if (kind === 'sqlite') target = { kind: 'sqlite', path: path.join(dir, 'vaka.db') };
  else {
    const name = `vaka_msg_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(pgUrl!);
    url.pathname = `/${name}`;
    target = { kind: 'postgres', url: url.toString() };
    drop = async () => {
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  }
  const handle = await openDatabase(target);
  const extra: DatabaseHandle[] = [];
  return {
    handle,
    target,
    async reopen() {
      const h = await openDatabase(target);
      extra.push(h);
      return h;
    },
    async close() {
      for (const h of extra) await h.close();
      await handle.close();
      await drop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A Fiji workshop that ended 2026-06-12: survey opens 2026-12-12 (09:00 Fiji = 2026-12-11T21:00Z), due 2027-01-02. */
export async function addWorkshop(handle: DatabaseHandle, over: Record<string, unknown> = {}): Promise<string> {
  const id = randomUUID();
  await putRecord(
    handle.db,
    'workshops',
    {
      id,
      title: 'Sub-regional Workshop on Data Analytics',
      kind: 'sub-regional',
      topic: 'Data analytics',
      startDate: '2026-06-10',
      endDate: '2026-06-12',
      timeZone: 'Pacific/Fiji',
      mode: 'in-person',
      venue: { city: 'Nadi', country: 'Fiji' },
      organisers: ['WCO'],
      translations: { fr: { title: 'Atelier sous-régional sur l’analyse de données' } },
      ...over,
    },
    '2026-06-01T00:00:00.000Z',
  );
  return id;
}

export async function addParticipant(
  handle: DatabaseHandle,
  workshopId: string,
  over: { fullName?: string; email?: string | null; memberCode?: string } = {},
): Promise<string> {
  const id = randomUUID();
  await putRecord(
    handle.db,
    'participants',
    {
      id,
      fullName: over.fullName ?? 'Mere Tuilau',
      email: over.email === undefined ? `p-${id.slice(0, 8)}@example.org` : over.email,
      memberCode: over.memberCode ?? 'FJ',
    },
    '2026-06-01T00:00:00.000Z',
  );
  await handle.db.insertInto('roster').values({ workshop_id: workshopId, participant_id: id }).execute();
  return id;
}

export async function addEnrolledDevice(handle: DatabaseHandle, participantId: string): Promise<void> {
  await handle.db
    .insertInto('devices')
    .values({
      id: randomUUID(),
      participant_id: participantId,
      token_hash: randomBytes(32).toString('hex'),
      name: 'Phone',
      last_mid: 0,
      created_at: '2026-06-01T00:00:00.000Z',
      last_seen_at: null,
      revoked_at: null,
    })
    .execute();
}

export async function submitReply(
  handle: DatabaseHandle,
  workshopId: string,
  participantId: string,
  at: Date,
): Promise<void> {
  await putRecord(
    handle.db,
    'surveyResponses',
    {
      id: randomUUID(),
      participantId,
      workshopId,
      revision: 1,
      status: 'submitted',
      actionsTaken: ['share-materials'],
      directEffects: { answer: 'not-yet' },
      workEfficiency: { answer: 'yes', details: 'Briefed the risk unit.' },
      newProjects: { answer: 'no' },
      submittedAt: at.toISOString(),
    },
    at.toISOString(),
  );
}

export interface ReceivedMail {
  envelopeTo: string[];
  raw: Buffer;
  parsed: ParsedMail;
  /** Header lines exactly as sent, by lower-case name. */
  header(name: string): string | undefined;
}

export interface TestSmtp {
  url: string;
  received: ReceivedMail[];
  /**
   * Called once a whole message is in (the point where a real mail server
   * queues it); resolve to answer, throw an error with responseCode to refuse.
   */
  onMessage: (mail: ReceivedMail) => Promise<void>;
  /** Called at RCPT TO, before any of the message is sent; resolve to accept the recipient. */
  onRecipient: (address: string) => Promise<void>;
  close(): Promise<void>;
}

export async function startSmtp(): Promise<TestSmtp> {
  const received: ReceivedMail[] = [];
  const smtp: TestSmtp = {
    url: '',
    received,
    onMessage: async () => {},
    onRecipient: async () => {},
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      smtp.onRecipient(address.address).then(
        () => callback(),
        (err: Error) => callback(err),
      );
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        void simpleParser(raw).then(async (parsed) => {
          const mail: ReceivedMail = {
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            raw,
            parsed,
            header: (name) =>
              parsed.headerLines
                .find((h) => h.key === name.toLowerCase())
                ?.line.replace(/^[^:]+:\s*/, '')
                .replace(/\r?\n\s+/g, ' '),
          };
          received.push(mail);
          try {
            await smtp.onMessage(mail);
            callback();
          } catch (err) {
            callback(err as Error);
          }
        });
      });
    },
  });
  // A sender killed mid-conversation (crash.test.ts) resets its connection; that is the point, not a failure.
  server.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'ECONNRESET') throw err;
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  smtp.url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  return smtp;
}

/** A phone's push subscription whose private keys the test keeps, to decrypt what arrives. */
export interface TestSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
  decrypt(body: Buffer): string;
}

export interface ReceivedPush {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface TestPushService {
  /** Called when a push arrives, before it is answered; resolve to answer. */
  onPush: (push: ReceivedPush) => Promise<void>;
  origin: string;
  agent: https.Agent;
  /** The endpoint's self-signed certificate, for a child process to trust. */
  caPem: string;
  received: ReceivedPush[];
  /** Status to answer per path (default 201). */
  status: Map<string, number>;
  subscription(pathName: string): TestSubscription;
  close(): Promise<void>;
}

/**
 * RFC 8291 (Message Encryption for Web Push) over RFC 8188 aes128gcm,
 * implemented here independently of web-push so the test checks its output.
 */
function decryptAes128gcm(body: Buffer, uaPrivate: ReturnType<typeof createECDH>, authSecret: Buffer): string {
  const salt = body.subarray(0, 16);
  const rs = body.readUInt32BE(16);
  const idlen = body[20]!;
  const asPublic = body.subarray(21, 21 + idlen);
  const ciphertext = body.subarray(21 + idlen);
  if (ciphertext.length > rs) throw new Error('expected a single record');
  const uaPublic = uaPrivate.getPublicKey();
  const ecdhSecret = uaPrivate.computeSecret(asPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), uaPublic, asPublic]);
  const ikm = Buffer.from(hkdfSync('sha256', ecdhSecret, authSecret, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const padded = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()]);
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error('missing the last-record delimiter');
  return padded.subarray(0, end).toString('utf8');
}

export async function startPushService(): Promise<TestPushService> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vaka-push-'));
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  const received: ReceivedPush[] = [];
  const status = new Map<string, number>();
  const server = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const p = req.url ?? '/';
      const got = { path: p, headers: req.headers, body: Buffer.concat(chunks) };
      received.push(got);
      void service.onPush(got).then(() => res.writeHead(status.get(p) ?? 201).end());
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const caPem = fs.readFileSync(cert, 'utf8');
  const agent = new https.Agent({ ca: caPem });
  const service: TestPushService = {
    onPush: async () => {},
    origin,
    agent,
    caPem,
    received,
    status,
    subscription(pathName) {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16);
      return {
        endpoint: `${origin}${pathName}`,
        keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') },
        decrypt: (body) => decryptAes128gcm(body, ecdh, auth),
      };
    },
    close: () =>
      new Promise<void>((r) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => r());
        fs.rmSync(dir, { recursive: true, force: true });
      }),
  };
  return service;
}
