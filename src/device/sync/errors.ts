/**
 * Why a sync failed, as typed errors carrying the i18n key the UI shows
 * (locales/…/common.json "sync.error.*"), so the engine, the scheduler and the
 * service worker agree on what is worth retrying and how soon.
 */

export type SyncErrorKey =
  | 'sync.error.offline'
  | 'sync.error.server'
  | 'sync.error.outdated'
  | 'sync.error.revoked'
  | 'sync.error.unauthorized'
  | 'sync.error.storage';

export const SYNC_ERROR_KEYS: readonly SyncErrorKey[] = [
  'sync.error.offline',
  'sync.error.server',
  'sync.error.outdated',
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

/** The answer made no sense (bad body, unexpected status) or could not be stored; retried with backoff. */
export class SyncFailedError extends SyncError {
  override name = 'SyncFailedError';
}
