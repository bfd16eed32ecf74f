/**
 * Dexie upgrades from every schema version a phone may still have (issue #9).
 * test/fixtures/dexie/v<N>.json holds, for each version N, that version's
 * store declarations and a dump of sample rows as version N wrote them. For
 * each fixture found, a fake-indexeddb database is built at version N from
 * it, the current VakaDatabase opens it (running every upgrade since), and:
 *   - every row of the fixture is still there, field for field (or as the
 *     fixture's `after` section says, for an upgrade that rewrites rows);
 *   - the current invariants hold: every queued edit has its server copy,
 *     synced records still pass today's shared schemas, nextMid is above
 *     every queued mid;
 *   - the app can keep writing: a new record gets the next mid.
 * A fixture's stores must equal what database.ts declares for that version
 * today, so an old version cannot be edited in place unnoticed, and every
 * version up to the current one must have a fixture.
 *
 * Adding a Dexie version: add the version in database.ts, then run
 *   UPDATE_DEXIE_FIXTURES=1 npx vitest run src/device/db/upgrade-fixtures.test.ts
 * which writes the missing fixture(s) from sampleRows() below (add rows for
 * any new table there first), and commit the new file. Never regenerate an
 * existing fixture: it is what old phones have.
 */
import { Dexie, type IndexableType } from 'dexie';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as prettier from 'prettier';
import { COLLECTION_SCHEMAS, CollectionName } from '../../shared/schemas/collections';
import { readSyncState, serverCopyKey, VakaDatabase, type OutboxEntry } from './database';
import { createRecord } from './writes';

const FIXTURE_DIR = fileURLToPath(new URL('../../../test/fixtures/dexie/', import.meta.url));

type Stores = Record<string, string>;
type Rows = Record<string, unknown[]>;

interface Fixture {
  version: number;
  note: string;
  stores: Stores;
  tables: Rows;
  /** Rows as they must read after the upgrade, for tables whose upgrade rewrites them. */
  after?: Rows;
}

/** The stores the current code declares at each version (Dexie merges each version's changes onto the last). */
function declaredSchemas(): Map<number, Stores> {
  const probe = new VakaDatabase('vaka-declared-schema-probe');
  // Dexie keeps its version declarations on an internal field; reading them is the only way to see old versions.
  const versions = (
    probe as unknown as { _versions: { _cfg: { version: number; storesSource: Record<string, string | null> } }[] }
  )._versions;
  const out = new Map<number, Stores>();
  let current: Stores = {};
  for (const v of [...versions].sort((a, b) => a._cfg.version - b._cfg.version)) {
    const changes = v._cfg.storesSource;
    // A null schema drops the table in that version.
    current = Object.fromEntries(
      [...Object.entries(current), ...Object.entries(changes)].filter(
        (entry): entry is [string, string] => changes[entry[0]] !== null && entry[1] !== null,
      ),
    );
    out.set(v._cfg.version, current);
  }
  return out;
}

// Blobs cannot go into JSON: they are written as {"$blob": {type, base64}} and revived on load.
interface EncodedBlob {
  $blob: { type: string; base64: string };
}
const isEncodedBlob = (v: unknown): v is EncodedBlob => typeof v === 'object' && v !== null && '$blob' in v;

function revive(value: unknown): unknown {
  if (isEncodedBlob(value)) return new Blob([Buffer.from(value.$blob.base64, 'base64')], { type: value.$blob.type });
  if (Array.isArray(value)) return value.map(revive);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v)]));
  return value;
}

async function encode(value: unknown): Promise<unknown> {
  if (value instanceof Blob)
    return { $blob: { type: value.type, base64: Buffer.from(await value.arrayBuffer()).toString('base64') } };
  if (Array.isArray(value)) return Promise.all(value.map(encode));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = await encode(v);
    return out;
  }
  return value;
}

function readFixtures(): Fixture[] {
  if (!fs.existsSync(FIXTURE_DIR)) return [];
  return fs
    .readdirSync(FIXTURE_DIR)
    .filter((f) => /^v\d+\.json$/.test(f))
    .map((f) => JSON.parse(fs.readFileSync(path.join(FIXTURE_DIR, f), 'utf8')) as Fixture)
    .sort((a, b) => a.version - b.version);
}

// ---- Sample rows, in the shapes the current code writes (used only to create a missing fixture) ----

const P = '0190a1b2-0000-7000-8000-00000000000a';
const W = '0190a1b2-0000-7000-8000-00000000000b';
const DEVICE = '0190a1b2-0000-7000-8000-00000000000c';
const ACTION_SYNCED = '0190a1b2-0000-7000-8000-000000000001';
const ACTION_EDITED = '0190a1b2-0000-7000-8000-000000000002';
const ACTION_NEW = '0190a1b2-0000-7000-8000-000000000003';
const SURVEY = '0190a1b2-0000-7000-8000-000000000004';
const EVALUATION = '0190a1b2-0000-7000-8000-000000000005';
const SESSION = '0190a1b2-0000-7000-8000-000000000006';
const MATERIAL = '0190a1b2-0000-7000-8000-000000000007';
const TOOL = '0190a1b2-0000-7000-8000-000000000008';
const SHA = 'b'.repeat(64);
const STAMP = '2025-03-01T09:30:00.000Z';
const meta = (version: number) => ({ _version: version, _deleted: false, _updatedAt: STAMP });
const blob = (text: string, type: string): EncodedBlob => ({
  $blob: { type, base64: Buffer.from(text).toString('base64') },
});

function record(collection: CollectionName, data: Record<string, unknown>, version: number): Record<string, unknown> {
  return { ...(COLLECTION_SCHEMAS[collection].parse(data) as Record<string, unknown>), ...meta(version) };
}

function sampleRows(): Rows {
  const action = { participantId: P, workshopId: W, kind: 'share-materials', date: '2024-07-01' };
  const synced = record('followUpActions', { ...action, id: ACTION_SYNCED, description: 'Shared the slides' }, 3);
  const editedServer = record('followUpActions', { ...action, id: ACTION_EDITED, description: 'Briefed the unit' }, 4);
  const edited = { ...editedServer, description: 'Briefed the PCA unit', _updatedAt: '2025-03-02T08:00:00.000Z' };
  const created = { ...record('followUpActions', { ...action, id: ACTION_NEW, description: 'Made offline' }, 0) };
  const { id: _newId, _version: _v, _deleted: _d, _updatedAt: _u, ...createdFields } = created;
  return {
    workshops: [
      record(
        'workshops',
        {
          id: W,
          title: 'Sub-regional workshop on post-clearance audit',
          kind: 'sub-regional',
          topic: 'PCA',
          startDate: '2024-06-10',
          endDate: '2024-06-14',
          timeZone: 'Pacific/Fiji',
          mode: 'in-person',
          venue: { city: 'Suva', country: 'Fiji' },
          organisers: ['ROCB A/P'],
        },
        2,
      ),
    ],
    agendaSessions: [
      record(
        'agendaSessions',
        { id: SESSION, workshopId: W, date: '2024-06-10', start: '09:00', end: '10:30', title: 'Opening' },
        5,
      ),
    ],
    materials: [
      record(
        'materials',
        {
          id: MATERIAL,
          workshopId: W,
          title: 'PCA handbook',
          language: 'en',
          mediaType: 'application/pdf',
          byteSize: 11,
          sha256: SHA,
          version: 1,
          audience: 'participants',
        },
        6,
      ),
    ],
    toolSummaries: [
      record(
        'toolSummaries',
        {
          id: TOOL,
          slug: 'revised-kyoto',
          title: 'Revised Kyoto Convention',
          body: 'Simplified and harmonised customs procedures.',
          officialUrl: 'https://www.wcoomd.org/',
        },
        7,
      ),
    ],
    participants: [record('participants', { id: P, fullName: 'Mele Taufa', memberCode: 'TO' }, 1)],
    followUpActions: [synced, edited, created],
    surveyResponses: [record('surveyResponses', { id: SURVEY, participantId: P, workshopId: W }, 8)],
    evaluations: [
      record(
        'evaluations',
        { id: EVALUATION, participantId: P, workshopId: W, overall: 5, relevance: 4, materials: 4, facilitation: 5 },
        9,
      ),
    ],
    outbox: [
      {
        mid: 7,
        op: 'patch',
        collection: 'followUpActions',
        recordId: ACTION_EDITED,
        baseVersion: 4,
        fields: { description: 'Briefed the PCA unit' },
        queuedAt: '2025-03-02T08:00:00.000Z',
      },
      {
        mid: 8,
        op: 'create',
        collection: 'followUpActions',
        recordId: ACTION_NEW,
        fields: createdFields,
        queuedAt: '2025-03-02T08:05:00.000Z',
      },
    ] satisfies OutboxEntry[],
    conflicts: [
      {
        seq: 1,
        collection: 'followUpActions',
        recordId: ACTION_SYNCED,
        conflicts: [{ field: 'description', replaced: 'Shared slides', kept: 'Shared the slides' }],
        at: STAMP,
        seen: false,
      },
    ],
    meta: [
      {
        key: 'sync',
        epoch: '0190a1b2-0000-7000-8000-0000000000ee',
        cursors: { catalog: 7, [`p:${P}`]: 9 },
        nextMid: 9,
        lastSuccessAt: STAMP,
        lastErrorAt: null,
        lastError: null,
      },
      {
        key: 'device',
        deviceId: DEVICE,
        deviceToken: 'vd_fixture-token-not-a-secret',
        participantId: P,
        workshopIds: [W],
        enrolledAt: '2025-01-15T00:00:00.000Z',
      },
    ],
    settings: [{ key: 'language', value: 'fr' }],
    rejections: [
      {
        seq: 1,
        mid: 6,
        collection: 'followUpActions',
        recordId: ACTION_SYNCED,
        op: 'patch',
        fields: { attendees: 0 },
        code: 'invalid',
        message: 'attendees: Too small',
        at: STAMP,
        seen: true,
      },
    ],
    serverCopies: [
      {
        key: serverCopyKey('followUpActions', ACTION_EDITED),
        collection: 'followUpActions',
        recordId: ACTION_EDITED,
        record: editedServer,
      },
      {
        key: serverCopyKey('followUpActions', ACTION_NEW),
        collection: 'followUpActions',
        recordId: ACTION_NEW,
        record: null,
      },
    ],
    pendingUploads: [
      {
        id: '0190a1b2-0000-7000-8000-0000000000f1',
        collection: 'followUpActions',
        recordId: ACTION_SYNCED,
        name: 'intranet.png',
        mediaType: 'image/png',
        byteSize: 9,
        sha256: 'c'.repeat(64),
        blob: blob('png bytes', 'image/png'),
        uploadUrl: '/api/v1/uploads/abc123',
        bytesSent: 4,
        failure: null,
        createdAt: STAMP,
      },
    ],
    files: [
      {
        sha256: SHA,
        byteSize: 11,
        mediaType: 'application/pdf',
        receivedBytes: 6,
        state: 'partial',
        failedVerifications: 0,
        updatedAt: STAMP,
      },
    ],
    fileChunks: [{ sha256: SHA, offset: 0, size: 6, blob: blob('%PDF-1', 'application/octet-stream') }],
    downloads: [
      { materialId: MATERIAL, workshopId: W, sha256: null, pendingSha256: SHA, error: 'offline', updatedAt: STAMP },
    ],
    seenSessions: [
      {
        sessionId: SESSION,
        workshopId: W,
        date: '2024-06-10',
        start: '09:00',
        end: '10:30',
        status: 'scheduled',
        title: 'Opening',
      },
    ],
    seenMaterials: [{ materialId: MATERIAL, workshopId: W, version: 1 }],
  };
}

async function writeMissingFixtures(declared: Map<number, Stores>, existing: Set<number>): Promise<void> {
  const samples = sampleRows();
  fs.mkdirSync(FIXTURE_DIR, { recursive: true });
  for (const [version, stores] of declared) {
    if (existing.has(version)) continue;
    const tables: Rows = {};
    for (const table of Object.keys(stores)) {
      tables[table] = samples[table] ?? [];
      if (!samples[table]) console.warn(`v${version}: no sample rows for table ${table}; add some to sampleRows()`);
    }
    const fixture: Fixture = {
      version,
      note: `Dexie schema version ${version} of VakaDatabase with sample rows as that version stored them. Frozen: old phones have this.`,
      stores,
      tables,
    };
    const file = path.join(FIXTURE_DIR, `v${version}.json`);
    // Formatted as the repository's prettier would, so `prettier --check` passes on a new fixture.
    const options = (await prettier.resolveConfig(file)) ?? {};
    fs.writeFileSync(file, await prettier.format(JSON.stringify(fixture), { ...options, filepath: file }));
    console.log(`wrote test/fixtures/dexie/v${version}.json`);
  }
}

// ---- The tests ----

const declared = declaredSchemas();
const latest = Math.max(...declared.keys());
if (process.env.UPDATE_DEXIE_FIXTURES === '1')
  await writeMissingFixtures(declared, new Set(readFixtures().map((f) => f.version)));
const fixtures = readFixtures();

function keyOf(row: Record<string, unknown>, keyPath: string | string[] | null | undefined): unknown {
  if (Array.isArray(keyPath)) return keyPath.map((k) => row[k]);
  return keyPath ? row[keyPath] : undefined;
}

describe('Dexie upgrades from every earlier schema version', () => {
  it('has a fixture for every version database.ts declares', () => {
    const have = new Set(fixtures.map((f) => f.version));
    const missing = [...declared.keys()].filter((v) => !have.has(v));
    expect(
      missing,
      'create it with UPDATE_DEXIE_FIXTURES=1 npx vitest run src/device/db/upgrade-fixtures.test.ts and commit it',
    ).toEqual([]);
  });

  for (const fixture of fixtures) {
    describe(`from version ${fixture.version}`, () => {
      it('declares the same stores as database.ts still does for that version (old versions are never edited)', () => {
        expect(declared.get(fixture.version)).toEqual(fixture.stores);
      });

      it(`opens at version ${latest} with every row intact and the app able to write`, async () => {
        const name = `vaka-upgrade-v${fixture.version}-${Math.random().toString(36).slice(2)}`;
        const old = new Dexie(name);
        old.version(fixture.version).stores(fixture.stores);
        await old.open();
        for (const [table, rows] of Object.entries(fixture.tables)) {
          if (rows.length) await old.table(table).bulkPut(revive(rows) as object[]);
        }
        old.close();

        const db = new VakaDatabase(name);
        await db.open();
        expect(db.verno).toBe(latest);

        for (const [table, rows] of Object.entries({ ...fixture.tables, ...fixture.after })) {
          const t = db.table(table);
          const keyPath = t.schema.primKey.keyPath;
          expect(await t.count(), `${table} row count`).toBeGreaterThanOrEqual(rows.length);
          for (const row of rows as Record<string, unknown>[]) {
            const key = keyOf(row, keyPath);
            const now: unknown = await t.get(key as IndexableType);
            expect(await encode(now), `${table} ${JSON.stringify(key)}`).toMatchObject(row);
          }
        }

        // Invariants of the current schema, whatever version the data came from.
        const outbox = await db.outbox.toArray();
        for (const entry of outbox) {
          expect(
            await db.serverCopies.get(serverCopyKey(entry.collection, entry.recordId)),
            `server copy for mid ${entry.mid}`,
          ).toBeDefined();
        }
        for (const collection of CollectionName.options) {
          for (const row of await db.table(collection).toArray()) {
            const { _version: _v, _deleted: _d, _updatedAt: _u, ...data } = row as Record<string, unknown>;
            const parsed = COLLECTION_SCHEMAS[collection].safeParse(data);
            expect(parsed.success, `${collection} ${String(data.id)}: ${parsed.error?.message ?? ''}`).toBe(true);
          }
        }
        const state = await readSyncState(db);
        const maxMid = Math.max(0, ...outbox.map((e) => e.mid));
        expect(state.nextMid).toBeGreaterThan(maxMid);

        // The app keeps working on the upgraded data: the next write queues the next mid.
        const identity = await db.meta.get('device');
        if (identity?.key === 'device') {
          const workshopId = identity.workshopIds[0]!;
          await createRecord(db, 'followUpActions', {
            workshopId,
            kind: 'other',
            date: '2025-04-01',
            description: 'Written after the upgrade',
          });
          const last = await db.outbox.orderBy('mid').last();
          expect(last?.mid).toBe(state.nextMid);
        }
        db.close();
        await Dexie.delete(name);
      });
    });
  }
});
