/**
 * Enrolment: trades the participant's one-time code for a device identity
 * (POST /api/v1/enroll) and keeps it in IndexedDB. The code is used up on
 * the server the moment it answers, so the identity is stored in one
 * transaction with everything that must change with it. Also asks the
 * browser to protect the site's storage from eviction, since from now on the
 * phone may hold answers that exist nowhere else.
 */
import { EnrollRequest, EnrollResponse } from '../../shared/sync/protocol';
import {
  getDb,
  readDeviceIdentity,
  readSyncState,
  writeDeviceIdentity,
  writeSyncState,
  type DeviceIdentity,
  type VakaDatabase,
} from '../../device/db/database';
import { wipeParticipantData } from '../../device/db/wipe';

export const ENROLL_PATH = '/api/v1/enroll';

/** i18n keys (locales/…/common.json "enrol.error.*"). */
export type EnrollErrorKey =
  | 'enrol.error.invalid'
  | 'enrol.error.expired'
  | 'enrol.error.rateLimited'
  | 'enrol.error.offline'
  | 'enrol.error.unknown';

export type EnrollResult =
  | { ok: true; identity: DeviceIdentity; /** Whether the browser granted persistent storage. */ persisted: boolean }
  | { ok: false; error: EnrollErrorKey; /** The server's words, for logs; the UI shows the key. */ message: string };

export interface EnrollOptions {
  db?: VakaDatabase;
  deviceName?: string;
  fetchImpl?: typeof fetch;
  baseUrl?: string;
  /** Injected in tests; defaults to navigator.storage. */
  storage?: Pick<StorageManager, 'persist'> | null;
  timeoutMs?: number;
}

function defaultDeviceName(): string {
  if (typeof navigator === 'undefined') return 'Phone';
  const ua = navigator.userAgent;
  const os = /Android/.test(ua)
    ? 'Android'
    : /iPhone|iPad/.test(ua)
      ? 'iOS'
      : /Windows/.test(ua)
        ? 'Windows'
        : /Mac OS/.test(ua)
          ? 'Mac'
          : 'Linux';
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /Firefox\//.test(ua)
      ? 'Firefox'
      : /Chrome\//.test(ua)
        ? 'Chrome'
        : /Safari\//.test(ua)
          ? 'Safari'
          : 'Browser';
  return `${browser} on ${os}`;
}

function errorCodeOf(body: unknown): string | null {
  if (typeof body !== 'object' || body === null || !('error' in body)) return null;
  return typeof body.error === 'string' ? body.error : null;
}

/** Maps the server's answer to what the participant can do about it. */
export function enrollErrorFor(status: number, code: string | null): EnrollErrorKey {
  if (status === 429 || code === 'rate_limited') return 'enrol.error.rateLimited';
  if (code === 'code_expired') return 'enrol.error.expired';
  // A used code reads as invalid: either way the coordinator must issue a new one.
  if (
    status === 400 ||
    status === 401 ||
    status === 403 ||
    status === 404 ||
    status === 409 ||
    status === 410 ||
    status === 422
  ) {
    return 'enrol.error.invalid';
  }
  return 'enrol.error.unknown';
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return (await response.json()) as unknown;
  } catch {
    return null;
  }
}

/**
 * Stores the identity. A new enrolment is a new device on the server, whose
 * mids start at 1, so queued entries are renumbered from 1. If the phone
 * held another participant's data, it goes first: one person's records must
 * never be shown or sent under another's name.
 */
export async function storeIdentity(db: VakaDatabase, identity: DeviceIdentity): Promise<void> {
  await db.transaction('rw', db.tables, async () => {
    const previous = await readDeviceIdentity(db);
    if (previous && previous.participantId !== identity.participantId) await wipeParticipantData(db, 'switched');
    const entries = await db.outbox.orderBy('mid').toArray();
    await db.outbox.clear();
    await db.outbox.bulkAdd(entries.map((e, i) => ({ ...e, mid: i + 1 })));
    const state = await readSyncState(db);
    await writeSyncState(db, { ...state, nextMid: entries.length + 1, authProblem: null, lastError: null });
    await writeDeviceIdentity(db, identity);
  });
}

async function requestPersistence(storage: Pick<StorageManager, 'persist'> | null | undefined): Promise<boolean> {
  try {
    return (await storage?.persist()) ?? false;
  } catch {
    return false;
  }
}

export function enroll(code: string, options?: EnrollOptions): Promise<EnrollResult>;
export function enroll(
  db: VakaDatabase,
  code: string,
  deviceName?: string,
  fetchImpl?: typeof fetch,
): Promise<EnrollResult>;
export async function enroll(
  first: string | VakaDatabase,
  second?: string | EnrollOptions,
  deviceName?: string,
  fetchImpl?: typeof fetch,
): Promise<EnrollResult> {
  const options: EnrollOptions =
    typeof first === 'string'
      ? { ...(typeof second === 'object' ? second : {}) }
      : { db: first, ...(deviceName !== undefined ? { deviceName } : {}), ...(fetchImpl ? { fetchImpl } : {}) };
  const code = typeof first === 'string' ? first : typeof second === 'string' ? second : '';
  const db = options.db ?? getDb();

  const request = EnrollRequest.safeParse({ code, deviceName: options.deviceName ?? defaultDeviceName() });
  if (!request.success) return { ok: false, error: 'enrol.error.invalid', message: request.error.message };

  const doFetch = options.fetchImpl ?? globalThis.fetch.bind(globalThis);
  let response: Response;
  try {
    const init: RequestInit = {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(request.data),
      cache: 'no-store',
      credentials: 'omit',
    };
    if (typeof AbortSignal !== 'undefined' && 'timeout' in AbortSignal)
      init.signal = AbortSignal.timeout(options.timeoutMs ?? 60_000);
    response = await doFetch(`${options.baseUrl ?? ''}${ENROLL_PATH}`, init);
  } catch (error) {
    return { ok: false, error: 'enrol.error.offline', message: error instanceof Error ? error.message : String(error) };
  }

  const body = await readJson(response);
  if (!response.ok) {
    const message =
      typeof body === 'object' && body !== null && 'message' in body && typeof body.message === 'string'
        ? body.message
        : `HTTP ${response.status}`;
    return { ok: false, error: enrollErrorFor(response.status, errorCodeOf(body)), message };
  }
  const parsed = EnrollResponse.safeParse(body);
  if (!parsed.success) return { ok: false, error: 'enrol.error.unknown', message: parsed.error.message };

  const identity: DeviceIdentity = {
    key: 'device',
    deviceId: parsed.data.deviceId,
    deviceToken: parsed.data.deviceToken,
    participantId: parsed.data.participantId,
    workshopIds: parsed.data.workshopIds,
    enrolledAt: new Date().toISOString(),
  };
  await storeIdentity(db, identity);
  const storage =
    options.storage === undefined ? (typeof navigator !== 'undefined' ? navigator.storage : null) : options.storage;
  const persisted = await requestPersistence(storage);
  return { ok: true, identity, persisted };
}
