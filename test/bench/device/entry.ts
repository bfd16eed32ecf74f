/**
 * The in-browser half of the device-side benchmark (issue #8 point 5),
 * bundled by test/bench/device.ts with esbuild and run in Debian's Chromium.
 * It imports the app's own modules and calls them as the screens do; nothing
 * here re-implements app logic, and nothing is added to the app for it:
 *
 *   save     createActionWithEvidence (what the follow-up form calls):
 *            createRecord's schema check, record + outbox entry + mid in
 *            one Dexie transaction with strict durability (VakaDatabase).
 *   import   syncOnce (src/device/sync/engine.ts) with the app's fetch
 *            transport, whose fetch answers with a prepared sync response
 *            page from memory: response text → JSON → SyncResponse schema →
 *            the engine's one-transaction apply → cursors saved.
 *   search   search() from features/search/search-index.ts (the function
 *            the search screen awaits: signature check, index built on the
 *            first query, MiniSearch query) plus excerpt() for every hit,
 *            which the screen computes to render the results.
 *
 * Results go back to Playwright through page.evaluate as plain numbers.
 */
import { VakaDatabase, writeDeviceIdentity, type DeviceIdentity } from '../../../src/device/db/database';
import { createActionWithEvidence } from '../../../src/client/features/followup/evidence';
import { syncOnce } from '../../../src/device/sync/engine';
import { createFetchTransport, type SyncTransport } from '../../../src/device/sync/transport';
import { collectDocuments, createIndex, excerpt, search } from '../../../src/client/features/search/search-index';
import { SyncResponse } from '../../../src/shared/sync/protocol';
import { makeRecords } from '../records';

export interface FixtureSet {
  identity: DeviceIdentity;
  corpusPage: string;
  deltaBasePage: string;
  deltaPage: string;
  deltaUpdatePage: string;
  queries: string[];
}

export interface SaveResult {
  warmup: number[];
  samples: number[];
  outbox: number;
  records: number;
  /** The durability IndexedDB reports for the app's read-write transactions. */
  durability: string;
}

export interface ImportRun {
  /** syncOnce with the 1,000 new sessions, ms. */
  insertMs: number;
  /** syncOnce with the same sessions in a new version, ms; NaN when not measured. */
  updateMs: number;
  /** JSON.parse + SyncResponse.safeParse of the same page alone, ms (part of insertMs). */
  parseMs: number;
  sessions: number;
  updated: number;
}

export interface SearchResult {
  documents: number;
  /** collectDocuments (read 5 tables, build 2,000 docs), ms per build. */
  collectMs: number[];
  /** createIndex (MiniSearch addAll), ms per build. */
  indexMs: number[];
  /** The first search() after the data changed: collect + index + query, ms per build. */
  firstQueryMs: number[];
  /** Per keystroke (prefixes of 2+ characters): search() + excerpt() of every hit, ms. */
  keystrokeMs: number[];
  /** The search() part alone, ms. */
  queryMs: number[];
  /** Hits for each whole query, to show the corpus answers. */
  hits: Record<string, number>;
}

let fixtures: FixtureSet | null = null;
let counter = 0;

async function loadFixtures(): Promise<FixtureSet> {
  fixtures ??= (await (await fetch('/fixtures.json')).json()) as FixtureSet;
  return fixtures;
}

/** A sync transport that is the app's own, with fetch answering from memory. */
function transportFor(text: string): SyncTransport {
  return createFetchTransport({
    fetchImpl: async () => new Response(text, { status: 200, headers: { 'content-type': 'application/json' } }),
  });
}

async function freshDevice(label: string): Promise<VakaDatabase> {
  const f = await loadFixtures();
  const db = new VakaDatabase(`vaka-bench-${label}-${Date.now()}-${counter++}`);
  await db.open();
  await writeDeviceIdentity(db, f.identity);
  return db;
}

async function pull(db: VakaDatabase, text: string): Promise<void> {
  const outcome = await syncOnce(db, transportFor(text));
  if (!outcome.complete || outcome.skipped) throw new Error(`sync did not complete: ${JSON.stringify(outcome)}`);
}

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** The phone the search and save benchmarks share: enrolled, holding the 2,000-document catalogue. */
let phone: VakaDatabase | null = null;

async function catalogued(): Promise<VakaDatabase> {
  if (!phone) throw new Error('call pullCatalogue first');
  return phone;
}

/** Fills a fresh phone with the 2,000 records through the engine; returns how long that sync took, ms. */
export async function pullCatalogue(): Promise<number> {
  const f = await loadFixtures();
  phone = await freshDevice('phone');
  await nextTask();
  const t0 = performance.now();
  await pull(phone, f.corpusPage);
  return performance.now() - t0;
}

export async function dropCatalogue(): Promise<void> {
  await phone?.delete();
  phone = null;
}

export async function benchSaves(count: number, warmup: number): Promise<SaveResult> {
  const f = await loadFixtures();
  // The phone already holds its catalogue, as it would when a participant logs an action.
  const db = await catalogued();
  const workshopId = f.identity.workshopIds[0]!;
  const records = makeRecords(count + warmup, 4242, f.identity.participantId, workshopId);
  const warm: number[] = [];
  const samples: number[] = [];
  for (const [i, r] of records.entries()) {
    await nextTask();
    const t0 = performance.now();
    // The form leaves the id to the write path and sends the participant's fields only.
    const { participantId: _p, ...fields } = r.fields;
    await createActionWithEvidence(db, fields, []);
    const took = performance.now() - t0;
    (i < warmup ? warm : samples).push(took);
  }
  const durability = await db.transaction('rw', db.settings, (tx) => String(tx.idbtrans.durability));
  const result = {
    warmup: warm,
    samples,
    outbox: await db.outbox.count(),
    records: await db.followUpActions.count(),
    durability,
  };
  return result;
}

export async function benchImport(runs: number, withUpdate: boolean): Promise<ImportRun[]> {
  const f = await loadFixtures();
  const out: ImportRun[] = [];
  for (let run = 0; run < runs; run++) {
    const db = await freshDevice('import');
    await pull(db, f.deltaBasePage);
    await nextTask();
    let t0 = performance.now();
    await pull(db, f.deltaPage);
    const insertMs = performance.now() - t0;
    const sessions = await db.agendaSessions.count();
    let updateMs = Number.NaN;
    let updated = Number.NaN;
    if (withUpdate) {
      await nextTask();
      t0 = performance.now();
      await pull(db, f.deltaUpdatePage);
      updateMs = performance.now() - t0;
      updated = await db.agendaSessions
        .filter((s) => s.description.endsWith('Updated after the programme was confirmed.'))
        .count();
    }
    t0 = performance.now();
    const parsed = SyncResponse.safeParse(JSON.parse(f.deltaPage));
    const parseMs = performance.now() - t0;
    if (!parsed.success) throw new Error('delta page does not parse');
    out.push({ insertMs, updateMs, parseMs, sessions, updated });
    await db.delete();
  }
  return out;
}

export async function benchSearch(builds: number): Promise<SearchResult> {
  const f = await loadFixtures();
  const db = await catalogued();
  const collectMs: number[] = [];
  const indexMs: number[] = [];
  const firstQueryMs: number[] = [];
  let documents = 0;
  for (let b = 0; b < builds; b++) {
    await nextTask();
    let t0 = performance.now();
    const docs = await collectDocuments(db, 'en');
    collectMs.push(performance.now() - t0);
    documents = docs.length;
    t0 = performance.now();
    const index = await createIndex(docs);
    indexMs.push(performance.now() - t0);
    if (index.documentCount !== docs.length) throw new Error('index is missing documents');
  }
  // The index is cached for one (database, language, sync state, counts) signature: a search in another
  // language rebuilds it from the same 2,000 records (no translations here), as a changed sync state would.
  // The last build is in English, the index the keystrokes below then use.
  const languages = [...Array.from({ length: builds - 1 }, (_, i) => ['fr', 'pt', 'fa', 'tet'][i % 4]!), 'en'];
  for (const language of languages) {
    await nextTask();
    const t0 = performance.now();
    await search(db, language, 'customs');
    firstQueryMs.push(performance.now() - t0);
  }
  const keystrokeMs: number[] = [];
  const queryMs: number[] = [];
  const hits: Record<string, number> = {};
  for (const query of f.queries) {
    for (let n = 1; n <= query.length; n++) {
      const typed = query.slice(0, n).trim();
      // The screen does not search under 2 characters (search() returns at once): not a keystroke that searches.
      if (typed.length < 2) continue;
      await nextTask();
      const t0 = performance.now();
      const found = await search(db, 'en', typed);
      const t1 = performance.now();
      for (const hit of found) if (hit.text && hit.kind !== 'note') excerpt(hit.text, hit.terms);
      keystrokeMs.push(performance.now() - t0);
      queryMs.push(t1 - t0);
      if (n === query.length) hits[query] = found.length;
    }
  }
  return { documents, collectMs, indexMs, firstQueryMs, keystrokeMs, queryMs, hits };
}

declare global {
  interface Window {
    vakaDeviceBench?: {
      pullCatalogue: typeof pullCatalogue;
      dropCatalogue: typeof dropCatalogue;
      benchSaves: typeof benchSaves;
      benchImport: typeof benchImport;
      benchSearch: typeof benchSearch;
    };
  }
}

window.vakaDeviceBench = {
  pullCatalogue,
  dropCatalogue,
  benchSaves,
  benchImport,
  benchSearch,
};
