/**
 * An in-memory stand-in for POST /api/v1/sync, for the device's tests. The
 * sync contract suite (test/server/sync-contract.test.ts) runs against it as
 * well as against the real server, so it cannot drift from the protocol of
 * docs/sync-protocol.md: per-device lastMid with stored results for replays,
 * a gap stops processing, permanent errors are `rejected` and still advance
 * lastMid [I2][I3]; conflicts are decided by the one shared merge rule
 * (shared/sync/merge.ts) [I6]; per-scope cursors in commit order with echo
 * suppression, byte pages and epochs with reset [I5]; ownership and the
 * roster [I7]; 401 revoked/unauthorized, 426 client_outdated and 501
 * server_outdated. Faults (503, a dropped connection, a response lost after
 * commit) are scripted. Not modelled: evidence files (attachments are taken
 * as uploaded) and coordinators.
 *
 * Test-only code, kept out of *.test.ts so several test files can share it;
 * nothing in the app imports it.
 */
import { COLLECTION_SCHEMAS, scopes, type CollectionName } from '../../../shared/schemas/collections';
import { mergeDelete, mergePatch, sameValue, stampFields, type FieldVersions } from '../../../shared/sync/merge';
import {
  PROTOCOL_VERSION,
  SyncRequest,
  SyncResponse,
  compactResponse,
  protocolMismatch,
  type Change,
  type ConflictNote,
  type Cursors,
  type Mutation,
  type MutationResult,
  type SyncResponseWire,
} from '../../../shared/sync/protocol';
import type { SyncTransport, SyncTransportRequest, SyncTransportResponse } from '../transport';

type Row = Record<string, unknown>;

interface FakeRecord {
  collection: CollectionName;
  id: string;
  scope: string;
  seq: number;
  owner: string | null;
  data: Row;
  /** Per field: the seq that last changed it and which device did, as the server's records table keeps them. */
  fieldVersions: FieldVersions;
  deleted: boolean;
  origin: string | null;
  updatedAt: string;
}

export interface FakeDevice {
  deviceId: string;
  token: string;
  participantId: string;
  workshopIds: string[];
  lastMid: number;
  results: Map<number, MutationResult>;
  revoked: boolean;
}

export type Fault =
  /** Answer with this status and body; nothing is processed. */
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  /** The connection fails before the server sees the request. */
  | { kind: 'network' }
  /** The server commits, then the response is lost on the way back. */
  | { kind: 'lose-response' }
  /** The next mutation processed is rejected with this code (e.g. a server-side rule the client cannot know). */
  | { kind: 'reject-next'; code: Extract<MutationResult, { status: 'rejected' }>['code'] };

interface State {
  epoch: string;
  records: Map<string, FakeRecord>;
  seqs: Map<string, number>;
  devices: Map<string, FakeDevice>;
}

/** A replaced value, as the server's conflict_log table keeps it. */
export interface FakeConflict extends ConflictNote {
  recordId: string;
  deviceId: string;
  seq: number;
}

/** The server's default page budget (DEFAULT_PAGE_BYTES in server/sync/service.ts). */
const DEFAULT_PAGE_BYTES = 256 * 1024;

const clone = <T>(value: T): T => structuredClone(value);

let counter = 0;
/** Deterministic UUIDs so failures are readable. */
export function fakeUuid(): string {
  counter++;
  return `00000000-0000-4000-8000-${counter.toString(16).padStart(12, '0')}`;
}

export class FakeSyncServer {
  epoch = `epoch-${fakeUuid().slice(-8)}`;
  /** The server clock when a test sets it; otherwise a second passes per reading. */
  clock: Date | null = null;
  records = new Map<string, FakeRecord>();
  seqs = new Map<string, number>();
  devices = new Map<string, FakeDevice>();
  /** Short scope ids handed out in this epoch, as the real server's scope_ids table. */
  scopeIds = new Map<string, number>();
  /** Most changes per response, on top of the byte budget; hasMore beyond. */
  pageSize = 100;
  /** Every field value a later arrival replaced, as the server's conflict log. */
  conflictLog: FakeConflict[] = [];
  faults: Fault[] = [];
  requests: SyncTransportRequest[] = [];
  /** Responses as committed, including those then lost on the way back. */
  responses: SyncResponse[] = [];
  /** Runs after the server committed and before the response travels back (e.g. a local write meanwhile). */
  beforeRespond: (() => Promise<void>) | null = null;
  private tick = 0;
  private rejectNext: Extract<Fault, { kind: 'reject-next' }>['code'] | null = null;

  readonly transport: SyncTransport = (request) => this.handle(request);

  now(): string {
    if (this.clock) return this.clock.toISOString();
    this.tick++;
    return new Date(Date.UTC(2025, 0, 1) + this.tick * 1000).toISOString();
  }

  enrol(participantId: string, workshopIds: string[]): FakeDevice {
    const device: FakeDevice = {
      deviceId: fakeUuid(),
      token: `tok-${fakeUuid()}`,
      participantId,
      workshopIds,
      lastMid: 0,
      results: new Map(),
      revoked: false,
    };
    this.devices.set(device.token, device);
    return device;
  }

  revoke(token: string): void {
    const device = this.devices.get(token);
    if (device) device.revoked = true;
  }

  private nextSeq(scope: string): number {
    const seq = (this.seqs.get(scope) ?? 0) + 1;
    this.seqs.set(scope, seq);
    return seq;
  }

  scopeOf(collection: CollectionName, data: Row): string {
    switch (collection) {
      case 'workshops':
      case 'toolSummaries':
        return scopes.catalog;
      case 'agendaSessions':
        return scopes.workshop(String(data.workshopId));
      case 'materials':
        return data.audience === 'participants'
          ? scopes.workshopPrivate(String(data.workshopId))
          : scopes.workshop(String(data.workshopId));
      case 'participants':
        return scopes.participant(String(data.id));
      default:
        return scopes.participant(String(data.participantId));
    }
  }

  /** A coordinator (or content import) writes a record. */
  adminWrite(collection: CollectionName, input: Row): Row {
    const parsed = COLLECTION_SCHEMAS[collection].parse(input) as Row;
    const existing = this.records.get(String(parsed.id));
    const changed = Object.keys(parsed).filter((k) => !existing || !sameValue(parsed[k], existing.data[k]));
    this.write(collection, parsed, null, existing, changed, false);
    return parsed;
  }

  adminDelete(id: string): void {
    const existing = this.records.get(id);
    if (existing) this.write(existing.collection, existing.data, null, existing, [], true);
  }

  private write(
    collection: CollectionName,
    data: Row,
    device: string | null,
    existing: FakeRecord | undefined,
    changed: string[],
    deleted: boolean,
  ): number {
    const scope = existing?.scope ?? this.scopeOf(collection, data);
    const seq = this.nextSeq(scope);
    this.records.set(String(data.id), {
      collection,
      id: String(data.id),
      scope,
      seq,
      owner:
        collection === 'participants'
          ? String(data.id)
          : typeof data.participantId === 'string'
            ? data.participantId
            : null,
      data: clone(data),
      fieldVersions: stampFields(existing?.fieldVersions ?? {}, changed, seq, device),
      deleted,
      origin: device,
      updatedAt: this.now(),
    });
    return seq;
  }

  /** The record as the server has it (null if unknown). */
  get(id: string): (Row & { _seq: number; _deleted: boolean }) | null {
    const r = this.records.get(id);
    return r ? { ...clone(r.data), _seq: r.seq, _deleted: r.deleted } : null;
  }

  /** Live records of a collection owned by a participant. */
  liveRecords(collection: CollectionName): Row[] {
    return [...this.records.values()]
      .filter((r) => r.collection === collection && !r.deleted)
      .map((r) => clone(r.data));
  }

  snapshot(): State {
    return clone({ epoch: this.epoch, records: this.records, seqs: this.seqs, devices: this.devices });
  }

  /** Restores a backup: the state goes back and the epoch changes, as after a real restore. */
  restore(state: State): void {
    const copy = clone(state);
    this.records = copy.records;
    this.seqs = copy.seqs;
    this.devices = copy.devices;
    this.scopeIds = new Map();
    this.epoch = `epoch-${fakeUuid().slice(-8)}`;
  }

  private visibleScopes(device: FakeDevice | null): string[] {
    const list: string[] = [];
    if (device) list.push(scopes.participant(device.participantId));
    list.push(scopes.catalog);
    for (const r of this.records.values()) {
      if (r.collection === 'workshops' && !r.deleted && r.data.status !== 'draft') list.push(scopes.workshop(r.id));
    }
    if (device) for (const id of device.workshopIds) list.push(scopes.workshopPrivate(id));
    return list;
  }

  private reply(status: number, body: unknown, headers: Record<string, string> = {}): SyncTransportResponse {
    return { status, headers, body: clone(body) };
  }

  async handle(request: SyncTransportRequest): Promise<SyncTransportResponse> {
    this.requests.push(clone(request));
    // The client must send what the contract allows.
    const req = SyncRequest.parse(clone(request.body));
    const fault = this.faults.shift();
    if (fault?.kind === 'network') throw new TypeError('Failed to fetch');
    if (fault?.kind === 'status')
      return this.reply(fault.status, fault.body ?? { error: 'fault', message: 'scripted' }, fault.headers);
    if (fault?.kind === 'reject-next') this.rejectNext = fault.code;

    let device: FakeDevice | null = null;
    if (request.token !== null) {
      device = this.devices.get(request.token) ?? null;
      if (!device) return this.reply(401, { error: 'unauthorized', message: 'unknown token' });
      if (device.revoked) return this.reply(401, { error: 'revoked', message: 'revoked' });
    }
    const mismatch = protocolMismatch(req.protocol);
    if (mismatch) {
      const message = mismatch.error === 'client_outdated' ? 'Please update the app.' : 'The server needs an update.';
      return this.reply(mismatch.status, { error: mismatch.error, message });
    }
    if (!device && req.mutations.length > 0) {
      return this.reply(401, { error: 'unauthorized', message: 'enrol first' });
    }

    const results: MutationResult[] = [];
    let gap = false;
    if (device) {
      for (const m of [...req.mutations].sort((a, b) => a.mid - b.mid)) {
        if (m.mid <= device.lastMid) {
          const stored = device.results.get(m.mid);
          if (stored) results.push(clone(stored));
          continue;
        }
        if (m.mid > device.lastMid + 1) {
          gap = true;
          break;
        }
        const result = this.apply(m, device);
        device.results.set(m.mid, result);
        device.lastMid = m.mid;
        results.push(result);
      }
    }

    const visible = this.visibleScopes(device);
    const epochChanged = req.epoch !== null && req.epoch !== this.epoch;
    const byScope: Cursors = {};
    const sentInFull = new Set<string>();
    if (!epochChanged) {
      const scopeOfId = new Map([...this.scopeIds].map(([scope, sid]) => [String(sid), scope]));
      for (const [key, seq] of Object.entries(req.cursors)) {
        const scope = /^[0-9]+$/.test(key) ? scopeOfId.get(key) : key;
        if (scope === undefined) continue;
        byScope[scope] = seq;
        if (scope === key) sentInFull.add(scope);
      }
    }
    const reset = epochChanged || visible.some((s) => (byScope[s] ?? 0) > (this.seqs.get(s) ?? 0));
    const known: Cursors = reset ? {} : byScope;
    const changes: Change[] = [];
    const cursors: Cursors = {};
    const budget = req.maxBytes ?? DEFAULT_PAGE_BYTES;
    let used = 0;
    let hasMore = false;
    for (const scope of visible) {
      const from = known[scope] ?? 0;
      let cursor = from;
      if (!hasMore) {
        const rows = [...this.records.values()]
          .filter((r) => r.scope === scope && r.seq > from)
          .sort((a, b) => a.seq - b.seq);
        for (const row of rows) {
          const echo = !reset && device !== null && row.origin === device.deviceId;
          if (!echo) {
            // A draft workshop travels as a tombstone, so an unpublished title never reaches a device.
            const hidden = row.deleted || (row.collection === 'workshops' && row.data.status === 'draft');
            const change: Change = {
              collection: row.collection,
              id: row.id,
              scope,
              version: row.seq,
              updatedAt: row.updatedAt,
              deleted: hidden,
              data: hidden ? null : clone(row.data),
            };
            const size = JSON.stringify(change).length;
            if (changes.length > 0 && (changes.length >= this.pageSize || used + size > budget)) {
              hasMore = true;
              break;
            }
            used += size;
            changes.push(change);
          }
          cursor = row.seq;
        }
      }
      if (cursor !== from || !(scope in known)) cursors[scope] = cursor;
    }
    const scopeIds: Record<string, number> = {};
    for (const scope of req.protocol >= 2 ? Object.keys(cursors) : []) {
      if (!reset && scope in known && !sentInFull.has(scope)) continue;
      const sid = this.scopeIds.get(scope) ?? this.scopeIds.size + 1;
      this.scopeIds.set(scope, sid);
      scopeIds[scope] = sid;
    }
    const response: SyncResponse = {
      protocol: Math.min(req.protocol, PROTOCOL_VERSION),
      epoch: this.epoch,
      lastMid: device?.lastMid ?? 0,
      results,
      changes,
      cursors,
      scopeIds,
      hasMore,
      reset,
      gap,
      serverTime: this.now(),
    };
    SyncResponse.parse(response);
    this.responses.push(clone(response));
    if (this.beforeRespond) await this.beforeRespond();
    if (fault?.kind === 'lose-response') throw new TypeError('Failed to fetch (response lost)');
    if (req.protocol >= 2) return this.reply(200, compactResponse(response));
    // Protocol 1 clients read every field and know no short ids.
    const full: SyncResponseWire = { ...response };
    delete full.scopeIds;
    return this.reply(200, full);
  }

  private reject(
    mid: number,
    code: Extract<MutationResult, { status: 'rejected' }>['code'],
    message: string,
  ): MutationResult {
    return { mid, status: 'rejected', code, message };
  }

  private validate(collection: CollectionName, data: Row): Row | string {
    const parsed = COLLECTION_SCHEMAS[collection].safeParse(data);
    return parsed.success
      ? (parsed.data as Row)
      : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  }

  private apply(m: Mutation, device: FakeDevice): MutationResult {
    if (this.rejectNext) {
      const code = this.rejectNext;
      this.rejectNext = null;
      return this.reject(m.mid, code, 'scripted rejection');
    }
    const existing = this.records.get(m.recordId);
    if (existing && existing.owner !== device.participantId) return this.reject(m.mid, 'forbidden', 'not yours');
    if (existing && existing.collection !== m.collection) return this.reject(m.mid, 'invalid', 'other collection');
    if (m.op === 'create') {
      if (existing) return this.reject(m.mid, 'exists', 'exists');
      const data: Row = { ...m.fields, id: m.recordId };
      if (data.participantId !== device.participantId) return this.reject(m.mid, 'forbidden', 'not yourself');
      const valid = this.validate(m.collection, data);
      if (typeof valid === 'string') return this.reject(m.mid, 'invalid', valid);
      if (!device.workshopIds.includes(String(valid.workshopId)))
        return this.reject(m.mid, 'forbidden', 'not on roster');
      const revision = this.checkRevision(m.collection, valid, device);
      if (revision) return this.reject(m.mid, 'invalid', revision);
      const version = this.write(m.collection, valid, device.deviceId, undefined, Object.keys(valid), false);
      return { mid: m.mid, status: 'applied', version };
    }
    if (!existing) return this.reject(m.mid, 'not_found', 'not found');
    if (m.op === 'delete') {
      const merge = mergeDelete(existing);
      if (!merge.ok) return this.reject(m.mid, merge.code, merge.message);
      if (merge.alreadyDeleted) return { mid: m.mid, status: 'applied', version: existing.seq };
      const version = this.write(existing.collection, existing.data, device.deviceId, existing, [], true);
      return { mid: m.mid, status: 'applied', version };
    }
    const merge = mergePatch(existing, m, device.deviceId);
    if (!merge.ok) return this.reject(m.mid, merge.code, merge.message);
    const valid = this.validate(m.collection, merge.data);
    if (typeof valid === 'string') return this.reject(m.mid, 'invalid', valid);
    const version =
      merge.changedFields.length > 0
        ? this.write(existing.collection, valid, device.deviceId, existing, merge.changedFields, false)
        : existing.seq;
    for (const c of merge.conflicts)
      this.conflictLog.push({ ...c, recordId: m.recordId, deviceId: device.deviceId, seq: version });
    return merge.concurrent
      ? {
          mid: m.mid,
          status: 'merged',
          version,
          conflicts: merge.conflicts,
          record: clone(merge.changedFields.length > 0 ? valid : existing.data),
        }
      : { mid: m.mid, status: 'applied', version };
  }

  /** A new survey revision must supersede the participant's own submitted response to the same workshop. */
  private checkRevision(collection: CollectionName, record: Row, device: FakeDevice): string | null {
    if (collection !== 'surveyResponses' || record.supersedes == null) return null;
    const prior = this.records.get(String(record.supersedes));
    if (!prior || prior.owner !== device.participantId || prior.collection !== 'surveyResponses') {
      return 'supersedes: the earlier response was not found.';
    }
    if (prior.data.workshopId !== record.workshopId) return 'supersedes: the earlier response is for another workshop.';
    if (Number(prior.data.revision) + 1 !== Number(record.revision)) return 'revision: not the next revision.';
    return null;
  }
}
