/**
 * One sync exchange, in one database transaction: apply the device's
 * mutations in mid order (replays answered from stored results, a gap stops
 * processing), then read the changes since its cursors, so the
 * acknowledgement and the effect commit together or not at all.
 */
import type { Kysely } from 'kysely';
import { randomBytes } from 'node:crypto';
import type { Database } from '../db/schema';
import { scopes as scopeOf } from '../../shared/schemas/collections';
import {
  PROTOCOL_VERSION,
  MutationResult,
  type Change,
  type Cursors,
  type RequestCursors,
  type ScopeIds,
  type SyncRequest,
  type SyncResponse,
} from '../../shared/sync/protocol';
import { applyMutation, type DeviceContext } from './apply';
import { currentSeqs, rowsAfter, type Db } from './store';
import type { Dialect } from '../db/connection';

export const DEFAULT_PAGE_BYTES = 256 * 1024;
const ROWS_PER_QUERY = 500;
/** Results of earlier mids sent back beside a smaller resent batch; a batch never exceeds this. */
const MAX_EXTRA_RESULTS = 2000;

export async function serverEpoch(db: Db): Promise<string> {
  const row = await db.selectFrom('meta').select('value').where('key', '=', 'epoch').executeTakeFirst();
  if (row) return row.value;
  // 96 random bits: unique per database, and short because every sync carries it both ways.
  const epoch = randomBytes(12).toString('base64url');
  await db
    .insertInto('meta')
    .values({ key: 'epoch', value: epoch })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const again = await db.selectFrom('meta').select('value').where('key', '=', 'epoch').executeTakeFirstOrThrow();
  return again.value;
}

/** Scopes this caller may pull, personal ones first so a participant's own records arrive before bulk content. */
async function visibleScopes(db: Db, device: DeviceContext | null): Promise<string[]> {
  const workshops = await db
    .selectFrom('records')
    .select(['id', 'data'])
    .where('collection', '=', 'workshops')
    .where('deleted', '=', 0)
    .execute();
  const published = workshops
    .filter((w) => (JSON.parse(w.data) as { status?: string }).status !== 'draft')
    .map((w) => w.id);
  const list: string[] = [];
  if (device) list.push(scopeOf.participant(device.participantId));
  list.push(scopeOf.catalog);
  for (const id of published) list.push(scopeOf.workshop(id));
  if (device) for (const id of device.workshopIds) list.push(scopeOf.workshopPrivate(id));
  return list;
}

const SHORT_ID = /^[1-9][0-9]*$/;

/** Cursors keyed by scope name, with the names the device sent in full (those get their short id back). */
async function resolveCursors(db: Db, cursors: RequestCursors): Promise<{ byScope: Cursors; sentInFull: Set<string> }> {
  const byScope: Cursors = {};
  const sentInFull = new Set<string>();
  const short: number[] = [];
  for (const [key, seq] of Object.entries(cursors)) {
    if (SHORT_ID.test(key)) short.push(Number(key));
    else {
      byScope[key] = seq;
      sentInFull.add(key);
    }
  }
  if (short.length) {
    const rows = await db.selectFrom('scope_ids').select(['sid', 'scope']).where('sid', 'in', short).execute();
    // An id this database never gave out is dropped: that scope is then pulled from the start.
    for (const row of rows) byScope[row.scope] ??= cursors[String(row.sid)] ?? 0;
  }
  return { byScope, sentInFull };
}

/** Short ids for these scopes, handed out on first use. */
async function scopeIdsFor(db: Db, scopes: string[]): Promise<ScopeIds> {
  if (scopes.length === 0) return {};
  const find = () => db.selectFrom('scope_ids').select(['sid', 'scope']).where('scope', 'in', scopes).execute();
  let rows = await find();
  if (rows.length < scopes.length) {
    const have = new Set(rows.map((r) => r.scope));
    const missing = scopes.filter((s) => !have.has(s)).map((scope) => ({ scope }));
    await db
      .insertInto('scope_ids')
      .values(missing)
      .onConflict((oc) => oc.column('scope').doNothing())
      .execute();
    rows = await find();
  }
  return Object.fromEntries(rows.map((r) => [r.scope, Number(r.sid)]));
}

export interface SyncOutcome {
  response: SyncResponse;
  applied: number;
}

export async function runSync(
  kysely: Kysely<Database>,
  dialect: Dialect,
  req: SyncRequest,
  device: DeviceContext | null,
  now: () => string,
): Promise<SyncOutcome> {
  return kysely.transaction().execute(async (trx) => {
    const epoch = await serverEpoch(trx);
    const results: MutationResult[] = [];
    let lastMid = 0;
    let gap = false;
    let applied = 0;

    if (device && req.mutations.length > 0 && dialect === 'postgres') {
      // Serialise writers of one participant's records: two of their devices syncing at once would
      // otherwise both read a record before either writes it, and the later write would undo the
      // earlier one (a lost update under READ COMMITTED). SQLite already runs one writer at a time.
      const scope = scopeOf.participant(device.participantId);
      await trx
        .insertInto('scope_seq')
        .values({ scope, seq: 0 })
        .onConflict((oc) => oc.column('scope').doNothing())
        .execute();
      await trx.selectFrom('scope_seq').select('seq').where('scope', '=', scope).forUpdate().execute();
    }
    if (device) {
      let q = trx.selectFrom('devices').select('last_mid').where('id', '=', device.deviceId);
      if (dialect === 'postgres') q = q.forUpdate();
      const row = await q.executeTakeFirstOrThrow();
      lastMid = Number(row.last_mid);
      const startMid = lastMid;
      const sorted = [...req.mutations].sort((a, b) => a.mid - b.mid);
      const replayMids = sorted.filter((m) => m.mid <= startMid).map((m) => m.mid);
      const stored = replayMids.length
        ? await trx
            .selectFrom('mutation_results')
            .select(['mid', 'result'])
            .where('device_id', '=', device.deviceId)
            .where('mid', 'in', replayMids)
            .execute()
        : [];
      const storedByMid = new Map(stored.map((s) => [Number(s.mid), MutationResult.parse(JSON.parse(s.result))]));
      const stamp = now();
      for (const m of sorted) {
        if (m.mid <= lastMid) {
          const previous = storedByMid.get(m.mid);
          if (previous) results.push(previous);
          continue;
        }
        if (m.mid > lastMid + 1) {
          gap = true;
          break;
        }
        const result = await applyMutation(trx, m, device, stamp);
        await trx
          .insertInto('mutation_results')
          .values({ device_id: device.deviceId, mid: m.mid, result: JSON.stringify(result) })
          .execute();
        results.push(result);
        lastMid = m.mid;
        applied++;
      }
      // A device that lost an answer may resend a smaller batch than the server processed; it must still
      // learn the outcome (new version, merge) of every mid it sent before, or it keeps a stale copy.
      const lastSent = sorted[sorted.length - 1]?.mid ?? 0;
      if (sorted.length > 0 && lastMid > lastSent) {
        const have = new Set(results.map((r) => r.mid));
        const missing = await trx
          .selectFrom('mutation_results')
          .select(['mid', 'result'])
          .where('device_id', '=', device.deviceId)
          .where('mid', '>=', sorted[0]!.mid)
          .where('mid', '<=', lastMid)
          .orderBy('mid')
          .limit(MAX_EXTRA_RESULTS)
          .execute();
        for (const row of missing) {
          if (!have.has(Number(row.mid))) results.push(MutationResult.parse(JSON.parse(row.result)));
        }
      }
      await trx
        .updateTable('devices')
        .set({ last_mid: lastMid, last_seen_at: stamp })
        .where('id', '=', device.deviceId)
        .execute();
    }

    const visible = await visibleScopes(trx, device);
    // One statement for every head: an idle sync of a phone with 23 scopes would otherwise make 23.
    const seqs = await currentSeqs(trx, visible);

    const epochChanged = req.epoch !== null && req.epoch !== epoch;
    // Short ids belong to an epoch: after a change of epoch they name nothing.
    const sent = epochChanged ? { byScope: {}, sentInFull: new Set<string>() } : await resolveCursors(trx, req.cursors);
    const cursorAhead = visible.some((s) => (sent.byScope[s] ?? 0) > (seqs.get(s) ?? 0));
    const reset = epochChanged || cursorAhead;
    const known: Cursors = reset ? {} : sent.byScope;

    const budget = req.maxBytes ?? DEFAULT_PAGE_BYTES;
    let used = 0;
    let hasMore = false;
    const changes: Change[] = [];
    const cursors: Cursors = {};
    for (const scope of visible) {
      const from = known[scope] ?? 0;
      const upTo = seqs.get(scope) ?? 0;
      let cursor = from;
      if (!hasMore) {
        let exhausted = false;
        while (!exhausted && !hasMore) {
          // A scope already at its head needs no query: most scopes on an idle sync.
          const rows = cursor >= upTo ? [] : await rowsAfter(trx, scope, cursor, upTo, ROWS_PER_QUERY);
          for (const row of rows) {
            const echo = !reset && device !== null && row.originDeviceId === device.deviceId;
            if (!echo) {
              // A draft workshop travels as a tombstone: devices drop it if it was published before, and
              // never see an unpublished title.
              const hidden = row.deleted || (row.collection === 'workshops' && row.data.status === 'draft');
              const change: Change = {
                collection: row.collection,
                id: row.id,
                scope,
                version: row.seq,
                updatedAt: row.updatedAt,
                deleted: hidden,
                data: hidden ? null : row.data,
              };
              const size = JSON.stringify(change).length;
              if (used + size > budget && changes.length > 0) {
                hasMore = true;
                break;
              }
              used += size;
              changes.push(change);
            }
            cursor = row.seq;
          }
          if (rows.length < ROWS_PER_QUERY && !hasMore) {
            exhausted = true;
            cursor = upTo;
          }
        }
      }
      // Only cursors that moved, or that the device did not know, travel back: an idle sync stays tiny.
      if (cursor !== from || !(scope in known)) cursors[scope] = cursor;
    }

    // A device that already names a scope by its short id needs it only again after a reset.
    const needIds = Object.keys(cursors).filter((scope) => reset || !(scope in known) || sent.sentInFull.has(scope));
    const response: SyncResponse = {
      protocol: Math.min(req.protocol, PROTOCOL_VERSION),
      epoch,
      lastMid,
      results,
      changes,
      cursors,
      scopeIds: req.protocol >= 2 ? await scopeIdsFor(trx, needIds) : {},
      hasMore,
      reset,
      gap,
      serverTime: now(),
    };
    return { response, applied };
  });
}
