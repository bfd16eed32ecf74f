/**
 * One sync at a time per origin: pages in several tabs and the service worker
 * share the outbox, and two of them sending it at once would double the
 * traffic (the server's mid check keeps it from doubling records). Uses the
 * Web Locks API, present in windows and workers; where it is missing, an
 * in-memory flag still keeps one context from overlapping itself.
 */

export const SYNC_LOCK_NAME = 'vaka-sync';

/** 'ifAvailable': give up when another context is syncing (it sends our entries too). 'wait': queue behind it. */
export type LockMode = 'ifAvailable' | 'wait' | 'none';

export type LockResult<T> = { ran: true; value: T } | { ran: false };

let localBusy = false;

export function defaultLocks(): LockManager | null {
  return typeof navigator !== 'undefined' && 'locks' in navigator ? navigator.locks : null;
}

export async function withSyncLock<T>(
  mode: LockMode,
  locks: LockManager | null,
  fn: () => Promise<T>,
): Promise<LockResult<T>> {
  if (mode === 'none') return { ran: true, value: await fn() };
  if (locks) {
    const options: LockOptions = mode === 'ifAvailable' ? { ifAvailable: true } : {};
    return locks.request(SYNC_LOCK_NAME, options, async (lock): Promise<LockResult<T>> => {
      if (!lock) return { ran: false };
      return { ran: true, value: await fn() };
    });
  }
  if (localBusy) {
    if (mode === 'ifAvailable') return { ran: false };
    while (localBusy) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  localBusy = true;
  try {
    return { ran: true, value: await fn() };
  } finally {
    localBusy = false;
  }
}
