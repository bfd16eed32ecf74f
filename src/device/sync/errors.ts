/**
 * Why a sync failed, as typed errors carrying the i18n key the UI shows
 * (locales/…/common.json "sync.error.*"), so the engine, the scheduler and the
 * service worker agree on what is worth retrying and how soon; and the one
 * reading of a failed HTTP answer into those errors (docs/sync-protocol.md,
 * "Errors").
 */
import type { SyncTransportResponse } from './transport';

export type SyncErrorKey =
  | 'sync.error.offline'
  | 'sync.error.server'
  | 'sync.error.outdated'
  | 'sync.error.serverOutdated'
  | 'sync.error.revoked'
  | 'sync.error.unauthorized'
  | 'sync.error.storage';

export const SYNC_ERROR_KEYS: readonly SyncErrorKey[] = [
  'sync.error.offline',
  'sync.error.server',
  'sync.error.outdated',
  'sync.error.serverOutdated',
  'sync.error.revoked',
  'sync.error.unauthorized',
  'sync.error.storage',
];

export function isSyncErrorKey(value: unknown): value is SyncErrorKey {
  return typeof value === 'string' && (SYNC_ERROR_KEYS as readonly string[]).includes(value);
}

export class SyncError extends Error {
  override name = 'SyncError';
  constructor(
    readonly key: SyncErrorKey,
    message: string,
    /** Worth trying again later by itself (network, 5xx, 429). */
    readonly transient: boolean,
    readonly status: number | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Nothing was changed on either side; retry with backoff, not before `retryAfterMs` when the server said so. */
export class SyncTransientError extends SyncError {
  override name = 'SyncTransientError';
  constructor(
    key: 'sync.error.offline' | 'sync.error.server',
    message: string,
    status: number | null,
    readonly retryAfterMs: number | null,
    options?: { cause?: unknown },
  ) {
    super(key, message, true, status, options);
  }
}

/** The server refused the device token. For 'revoked' the participant's data has already been removed. */
export class SyncAuthError extends SyncError {
  override name = 'SyncAuthError';
  constructor(readonly reason: 'revoked' | 'unauthorized') {
    super(
      reason === 'revoked' ? 'sync.error.revoked' : 'sync.error.unauthorized',
      `Device token ${reason}`,
      false,
      401,
    );
  }
}

/** The server speaks a newer protocol: only an app update helps, so stop trying until the page reloads. */
export class SyncOutdatedError extends SyncError {
  override name = 'SyncOutdatedError';
  constructor() {
    super('sync.error.outdated', 'This app version is too old for the server', false, 426);
  }
}

/**
 * The app speaks a newer protocol than the server (501 "server_outdated"): only a server update helps.
 * Not transient, so nothing retries in a loop; the scheduler looks again after a long pause, and the
 * outbox waits on the device meanwhile.
 */
export class SyncServerOutdatedError extends SyncError {
  override name = 'SyncServerOutdatedError';
  constructor() {
    super('sync.error.serverOutdated', 'The server is too old for this app version', false, 501);
  }
}

/** The answer made no sense (bad body, unexpected status) or could not be stored; retried with backoff. */
export class SyncFailedError extends SyncError {
  override name = 'SyncFailedError';
}

function errorCodeOf(body: unknown): string | null {
  if (typeof body !== 'object' || body === null || !('error' in body)) return null;
  return typeof body.error === 'string' ? body.error : null;
}

/** Retry-After is either seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** What a non-200 answer to a sync request means. `withToken`: the request carried a device token. */
export function errorFromResponse(response: SyncTransportResponse, withToken: boolean): SyncError {
  const { status } = response;
  const code = errorCodeOf(response.body);
  if (status === 401 && withToken) return new SyncAuthError(code === 'revoked' ? 'revoked' : 'unauthorized');
  if (status === 426) return new SyncOutdatedError();
  // Checked before the 5xx rule: a server that does not speak this protocol yet is no passing failure.
  if (status === 501 && code === 'server_outdated') return new SyncServerOutdatedError();
  if (status === 408 || status === 429 || status >= 500) {
    return new SyncTransientError(
      'sync.error.server',
      `HTTP ${status}${code ? ` ${code}` : ''}`,
      status,
      parseRetryAfter(response.headers['retry-after']),
    );
  }
  return new SyncFailedError('sync.error.server', `HTTP ${status}${code ? ` ${code}` : ''}`, false, status);
}

/** Any failure inside a sync as a SyncError: a full disk gets its own message. */
export function asSyncError(error: unknown): SyncError {
  if (error instanceof SyncError) return error;
  const name = error instanceof Error ? error.name : '';
  const inner = error instanceof Error && 'inner' in error && error.inner instanceof Error ? error.inner.name : '';
  if (name === 'QuotaExceededError' || inner === 'QuotaExceededError') {
    return new SyncFailedError('sync.error.storage', 'The device is out of storage space', false, null, {
      cause: error,
    });
  }
  return new SyncFailedError('sync.error.server', error instanceof Error ? error.message : String(error), false, null, {
    cause: error,
  });
}
