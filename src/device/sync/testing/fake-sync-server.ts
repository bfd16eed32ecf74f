/**
 * An in-memory stand-in for POST /api/v1/sync, for the client's tests. It
 * follows the server contract closely enough to catch client mistakes:
 * per-device lastMid with stored results for replays, a gap stops
 * processing, permanent errors are `rejected` and still advance lastMid,
 * per-field versions decide conflicts (the later arrival wins and is
 * reported as `merged`), deletes win, submitted survey responses are
 * immutable, per-scope cursors in commit order with echo suppression and
 * paging, epochs with reset, 401 revoked/unauthorized and 426. Faults
 * (503, a dropped connection, a response lost after commit) are scripted.
 *
 * Test-only code, kept out of *.test.ts so several test files can share it;
 * nothing in the app imports it.
 */
import { COLLECTION_SCHEMAS, scopes, type CollectionName } from '../../../shared/schemas/collections';
import {
  PROTOCOL_VERSION,
  SyncRequest,
  SyncResponse,
  compactResponse,
  type Change,
  type ConflictNote,
  type Cursors,
  type Mutation,
  type MutationResult,
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
  /** Per field: the seq that last changed it and which device did. */
  fields: Record<string, { seq: number; device: string | null }>;
  /** Every write, to tell whether someone else wrote since a device's baseVersion. */
  writers: { seq: number; device: string | null }[];
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

const clone = <T>(value: T): T => structuredClone(value);

let counter = 0;
/** Deterministic UUIDs so failures are readable. */
export function fakeUuid(): string {
  counter++;
  return `00000000-0000-4000-8000-${counter.toString(16).padStart(12, '0')}`;
}

export class FakeSyncServer {
  epoch = `epoch-${fakeUuid()}`;
  records = new Map<string, FakeRecord>();
  seqs = new Map<string, number>();
  devices = new Map<string, FakeDevice>();
  /** Short scope ids handed out in this epoch, as the real server's scope_ids table. */
  scopeIds = new Map<string, number>();
  /** Most changes per response; hasMore beyond. */
  pageSize = 100;
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
    this.write(collection, parsed, null, existing, Object.keys(parsed), false);
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
    const fields = { ...(existing?.fields ?? {}) };
    for (const f of changed) fields[f] = { seq, device };
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
      fields,
      writers: [...(existing?.writers ?? []), { seq, device }],
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
    this.epoch = `epoch-${fakeUuid()}`;
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
    } else if (req.mutations.length > 0) {
      return this.reply(401, { error: 'unauthorized', message: 'enrol first' });
    }
    if (req.protocol !== PROTOCOL_VERSION) return this.reply(426, { error: 'client_outdated', message: 'update' });

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
            if (changes.length >= this.pageSize) {
              hasMore = true;
              break;
            }
            changes.push({
              collection: row.collection,
              id: row.id,
              scope,
              version: row.seq,
              updatedAt: row.updatedAt,
              deleted: row.deleted,
              data: row.deleted ? null : clone(row.data),
            });
          }
          cursor = row.seq;
        }
      }
      if (cursor !== from || !(scope in known)) cursors[scope] = cursor;
    }
    const scopeIds: Record<string, number> = {};
    for (const scope of Object.keys(cursors)) {
      if (!reset && scope in known && !sentInFull.has(scope)) continue;
      const sid = this.scopeIds.get(scope) ?? this.scopeIds.size + 1;
      this.scopeIds.set(scope, sid);
      scopeIds[scope] = sid;
    }
    const response: SyncResponse = {
      protocol: PROTOCOL_VERSION,
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
    return this.reply(200, compactResponse(response));
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
    if (m.op === 'create') {
      if (existing) return this.reject(m.mid, 'exists', 'exists');
      const data: Row = { ...m.fields, id: m.recordId };
      if (data.participantId !== device.participantId) return this.reject(m.mid, 'forbidden', 'not yourself');
      const valid = this.validate(m.collection, data);
      if (typeof valid === 'string') return this.reject(m.mid, 'invalid', valid);
      const version = this.write(m.collection, valid, device.deviceId, undefined, Object.keys(valid), false);
      return { mid: m.mid, status: 'applied', version };
    }
    if (!existing) return this.reject(m.mid, 'not_found', 'not found');
    if (m.op === 'delete') {
      if (existing.deleted) return { mid: m.mid, status: 'applied', version: existing.seq };
      if (m.collection === 'surveyResponses' && existing.data.status === 'submitted')
        return this.reject(m.mid, 'immutable', 'submitted');
      const version = this.write(existing.collection, existing.data, device.deviceId, existing, [], true);
      return { mid: m.mid, status: 'applied', version };
    }
    if (existing.deleted) return this.reject(m.mid, 'deleted', 'deleted elsewhere');
    if (m.collection === 'surveyResponses' && existing.data.status === 'submitted')
      return this.reject(m.mid, 'immutable', 'submitted');
    const conflicts: ConflictNote[] = [];
    const changed: string[] = [];
    const merged: Row = { ...existing.data };
    for (const [field, value] of Object.entries(m.fields)) {
      const current = existing.data[field];
      if (JSON.stringify(current) === JSON.stringify(value)) continue;
      const last = existing.fields[field];
      // The device's own earlier writes are not conflicts, only other writers' changes since its base.
      if (last && last.seq > m.baseVersion && last.device !== device.deviceId)
        conflicts.push({ field, replaced: current ?? null, kept: value });
      merged[field] = value;
      changed.push(field);
    }
    const valid = this.validate(m.collection, merged);
    if (typeof valid === 'string') return this.reject(m.mid, 'invalid', valid);
    // Others wrote since the device's base: it must get the whole record, or echo suppression would hide their changes.
    const concurrent = existing.writers.some((w) => w.seq > m.baseVersion && w.device !== device.deviceId);
    const version =
      changed.length > 0
        ? this.write(existing.collection, valid, device.deviceId, existing, changed, false)
        : existing.seq;
    return concurrent
      ? { mid: m.mid, status: 'merged', version, conflicts, record: clone(valid) }
      : { mid: m.mid, status: 'applied', version };
  }
}
