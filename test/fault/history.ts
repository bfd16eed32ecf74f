/**
 * The fault harness's history and its checker. Every local write a device
 * makes is recorded with the mid it got; every sync answer that reaches a
 * device is recorded as it arrived. After the run the checker compares that
 * history with the server's tables and the devices' databases and lists
 * every violation of the sync invariants (docs/sync-protocol.md [I1]–[I4], [I7]):
 *   - each device handed out mids 1..n with no hole or repeat;
 *   - an answer for a mid, original or replay, is always the same answer;
 *   - a device's acknowledged lastMid never goes backwards, and the server
 *     still has every mid it ever acknowledged (no acknowledged write lost,
 *     even across SIGKILL);
 *   - the server stored one result per mid, equal to what the device got;
 *   - every applied create is on the server exactly once, nothing else is,
 *     and each field holds the value of the latest applied write of it;
 *   - the participant's scope counter moved once per write the server
 *     reported (a request applied twice would move it more);
 *   - every device drained its outbox, equals the server for its
 *     participant, and holds nothing of another participant.
 * Pure functions over plain data, so the checker itself is unit-tested
 * against histories with a planted fault (history.test.ts).
 */
import { isDeepStrictEqual } from 'node:util';
import type { MutationResult } from '../../src/shared/sync/protocol';

/** Fields the workload writes; the checker compares exactly these. */
export const TRACKED_FIELDS = ['participantId', 'workshopId', 'kind', 'date', 'description', 'audience', 'channel'];

const key = (device: string, mid: number) => `${device}#${mid}`;

export interface Invocation {
  device: string;
  participant: string;
  mid: number;
  op: 'create' | 'patch' | 'delete';
  recordId: string;
  /** What the mutation carried (null for deletes). */
  fields: Record<string, unknown> | null;
  at: number;
}

export interface Acknowledgement {
  device: string;
  lastMid: number;
  results: MutationResult[];
  gap: boolean;
  at: number;
}

export class History {
  readonly invocations: Invocation[] = [];
  readonly acks: Acknowledgement[] = [];
  /** Mutations put on the wire, counting every resend. */
  sentMutations = 0;
  readonly sentOnce = new Set<string>();
  private readonly started = Date.now();

  send(device: string, mids: readonly number[]): void {
    this.sentMutations += mids.length;
    for (const mid of mids) this.sentOnce.add(key(device, mid));
  }

  invoke(entry: Omit<Invocation, 'at'>): void {
    this.invocations.push({ ...entry, at: Date.now() - this.started });
  }

  acknowledge(device: string, answer: { lastMid: number; results: MutationResult[]; gap: boolean }): void {
    this.acks.push({
      device,
      lastMid: answer.lastMid,
      results: answer.results,
      gap: answer.gap,
      at: Date.now() - this.started,
    });
  }
}

export interface ServerRecord {
  id: string;
  collection: string;
  owner: string | null;
  data: Record<string, unknown>;
  deleted: boolean;
}

export interface ServerState {
  /** followUpActions rows (and any other row a participant owns). */
  records: ServerRecord[];
  devices: { id: string; participantId: string; lastMid: number }[];
  results: { device: string; mid: number; result: MutationResult }[];
  /** scope → counter value. */
  scopeSeq: Record<string, number>;
}

export interface DeviceState {
  device: string;
  participant: string;
  outbox: number;
  /** The device's followUpActions, as stored locally. */
  records: { id: string; participantId: unknown; data: Record<string, unknown>; deleted: boolean }[];
}

export interface CheckStats {
  invocations: number;
  acknowledgements: number;
  /** Sends of a mutation after its first: after a lost request or answer, a crash or a reload. */
  resentMutations: number;
  /** Results a device received again for a mid it already had an answer for. */
  repeatedAnswers: number;
  applied: number;
  merged: number;
  rejected: number;
  records: number;
  deletedRecords: number;
  gaps: number;
}

export interface CheckReport {
  violations: string[];
  stats: CheckStats;
}

function pick(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of TRACKED_FIELDS) out[f] = data[f] ?? null;
  return out;
}

export function checkHistory(history: History, server: ServerState, devices: DeviceState[]): CheckReport {
  const violations: string[] = [];
  const fail = (message: string) => {
    if (violations.length < 50) violations.push(message);
    else if (violations.length === 50) violations.push('… more violations left out');
  };
  const stats: CheckStats = {
    invocations: history.invocations.length,
    acknowledgements: history.acks.length,
    resentMutations: history.sentMutations - history.sentOnce.size,
    repeatedAnswers: 0,
    applied: 0,
    merged: 0,
    rejected: 0,
    records: 0,
    deletedRecords: 0,
    gaps: 0,
  };

  // Mids: 1..n per device, each once.
  const byDevice = new Map<string, Invocation[]>();
  const invocation = new Map<string, Invocation>();
  for (const inv of history.invocations) {
    const list = byDevice.get(inv.device) ?? [];
    list.push(inv);
    byDevice.set(inv.device, list);
    if (invocation.has(key(inv.device, inv.mid))) fail(`device ${inv.device} handed out mid ${inv.mid} twice`);
    invocation.set(key(inv.device, inv.mid), inv);
  }
  for (const [device, list] of byDevice) {
    const mids = list.map((i) => i.mid).sort((a, b) => a - b);
    mids.forEach((mid, i) => {
      if (mid !== i + 1) fail(`device ${device}: mids are not 1..n (position ${i + 1} holds ${mid})`);
    });
  }

  // Answers: the same for every delivery of a mid; lastMid never goes back.
  const answer = new Map<string, MutationResult>();
  const highestAck = new Map<string, number>();
  for (const ack of history.acks) {
    if (ack.gap) {
      stats.gaps++;
      fail(
        `device ${ack.device} got a gap answer at lastMid ${ack.lastMid}: the server lost mids it had acknowledged or the device skipped one`,
      );
    }
    const previous = highestAck.get(ack.device) ?? 0;
    if (ack.lastMid < previous)
      fail(
        `device ${ack.device}: acknowledged lastMid went back from ${previous} to ${ack.lastMid} (a committed write was lost)`,
      );
    highestAck.set(ack.device, Math.max(previous, ack.lastMid));
    for (const result of ack.results) {
      const k = key(ack.device, result.mid);
      if (result.mid > ack.lastMid)
        fail(`device ${ack.device}: result for mid ${result.mid} above lastMid ${ack.lastMid}`);
      if (!invocation.has(k)) fail(`device ${ack.device}: result for mid ${result.mid} that it never queued`);
      const first = answer.get(k);
      if (first) {
        stats.repeatedAnswers++;
        if (!isDeepStrictEqual(first, result))
          fail(
            `device ${ack.device} mid ${result.mid}: answered ${JSON.stringify(first)} then ${JSON.stringify(result)}`,
          );
      } else answer.set(k, result);
    }
  }

  // The server's bookkeeping against the history.
  const serverDevice = new Map(server.devices.map((d) => [d.id, d]));
  const stored = new Map(server.results.map((r) => [key(r.device, r.mid), r.result]));
  for (const [device, list] of byDevice) {
    const d = serverDevice.get(device);
    if (!d) {
      fail(`device ${device} is not on the server`);
      continue;
    }
    if (d.lastMid !== list.length)
      fail(`device ${device}: server lastMid ${d.lastMid}, but the device queued ${list.length} mutations`);
    const acked = highestAck.get(device) ?? 0;
    if (d.lastMid < acked) fail(`device ${device}: server lastMid ${d.lastMid} below the acknowledged ${acked}`);
  }
  for (const r of server.results) {
    if (!invocation.has(key(r.device, r.mid))) fail(`server holds a result for ${r.device} mid ${r.mid} nobody queued`);
  }
  for (const inv of history.invocations) {
    const k = key(inv.device, inv.mid);
    const s = stored.get(k);
    if (!s) {
      fail(`no stored result for device ${inv.device} mid ${inv.mid} (${inv.op} ${inv.recordId})`);
      continue;
    }
    const got = answer.get(k);
    if (got && !isDeepStrictEqual(got, s))
      fail(`device ${inv.device} mid ${inv.mid}: got ${JSON.stringify(got)}, server stored ${JSON.stringify(s)}`);
    if (s.status === 'applied') stats.applied++;
    else if (s.status === 'merged') stats.merged++;
    else stats.rejected++;
  }

  // The records the history implies, from the server's own ordering (result versions).
  interface Expected {
    participant: string;
    deleted: boolean;
    fields: Map<string, { version: number; value: unknown }>;
  }
  const expected = new Map<string, Expected>();
  const writeVersions = new Map<string, Set<number>>();
  const ordered = history.invocations
    .map((inv) => ({ inv, result: stored.get(key(inv.device, inv.mid)) }))
    .filter((x): x is { inv: Invocation; result: MutationResult } => x.result !== undefined)
    .filter((x) => x.result.status !== 'rejected')
    .sort((a, b) => ('version' in a.result ? a.result.version : 0) - ('version' in b.result ? b.result.version : 0));
  for (const { inv, result } of ordered) {
    if (result.status === 'rejected') continue;
    const versions = writeVersions.get(inv.participant) ?? new Set<number>();
    versions.add(result.version);
    writeVersions.set(inv.participant, versions);
    let rec = expected.get(inv.recordId);
    if (inv.op === 'create') {
      if (rec) fail(`record ${inv.recordId} was created twice`);
      rec = { participant: inv.participant, deleted: false, fields: new Map() };
      expected.set(inv.recordId, rec);
    }
    if (!rec) {
      fail(`${inv.op} of ${inv.recordId} (device ${inv.device} mid ${inv.mid}) applied before any create`);
      continue;
    }
    if (inv.op === 'delete') rec.deleted = true;
    for (const [field, value] of Object.entries(inv.fields ?? {})) {
      const prior = rec.fields.get(field);
      if (!prior || prior.version <= result.version) rec.fields.set(field, { version: result.version, value });
    }
  }

  const serverById = new Map(server.records.map((r) => [r.id, r]));
  for (const [id, exp] of expected) {
    const row = serverById.get(id);
    if (!row) {
      fail(`record ${id} was acknowledged as created but is not on the server`);
      continue;
    }
    if (row.owner !== exp.participant) fail(`record ${id} is owned by ${row.owner}, not ${exp.participant}`);
    if (row.deleted !== exp.deleted) fail(`record ${id}: deleted=${row.deleted}, history says ${exp.deleted}`);
    for (const [field, { value }] of exp.fields) {
      if (!TRACKED_FIELDS.includes(field)) continue;
      if (!isDeepStrictEqual(row.data[field] ?? null, value ?? null))
        fail(
          `record ${id}.${field} = ${JSON.stringify(row.data[field])}, last acknowledged write was ${JSON.stringify(value)}`,
        );
    }
  }
  for (const row of server.records) {
    if (row.collection === 'followUpActions' && !expected.has(row.id))
      fail(`server holds record ${row.id} that no acknowledged create made`);
  }
  stats.records = expected.size;
  stats.deletedRecords = [...expected.values()].filter((e) => e.deleted).length;

  // Exactly once: the scope counter moved once per distinct write version.
  const participants = new Set(history.invocations.map((i) => i.participant));
  for (const participant of participants) {
    const writes = writeVersions.get(participant)?.size ?? 0;
    const seq = server.scopeSeq[`p:${participant}`] ?? 0;
    if (seq !== writes)
      fail(
        `participant ${participant}: scope counter at ${seq} but results report ${writes} writes (a mutation applied twice or a write not reported)`,
      );
  }

  // Convergence and exposure.
  for (const d of devices) {
    if (d.outbox !== 0) fail(`device ${d.device} still has ${d.outbox} queued mutations after healing`);
    const local = new Map(d.records.map((r) => [r.id, r]));
    for (const r of d.records) {
      if (r.participantId !== d.participant)
        fail(`device ${d.device} holds record ${r.id} of participant ${String(r.participantId)}`);
    }
    for (const row of server.records) {
      if (row.collection !== 'followUpActions' || row.owner !== d.participant) continue;
      const mine = local.get(row.id);
      if (row.deleted) {
        if (mine && !mine.deleted) fail(`device ${d.device} still shows record ${row.id} that the server deleted`);
        continue;
      }
      if (!mine || mine.deleted) {
        fail(`device ${d.device} is missing record ${row.id}`);
        continue;
      }
      if (!isDeepStrictEqual(pick(mine.data), pick(row.data)))
        fail(
          `device ${d.device} record ${row.id}: ${JSON.stringify(pick(mine.data))} ≠ server ${JSON.stringify(pick(row.data))}`,
        );
    }
    for (const r of d.records) {
      if (!r.deleted && !serverById.has(r.id)) fail(`device ${d.device} shows record ${r.id} the server does not have`);
    }
  }
  return { violations, stats };
}
