/**
 * The coordinator's own IndexedDB: the session survives a reload, a refused
 * token marks it ended without losing the cached views, a different
 * coordinator signing in never sees the previous one's cache, and signing
 * out forgets everything.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  currentToken,
  forgetEverything,
  markExpired,
  readCached,
  resetCoordinatorStoreForTests,
  saveSession,
  sessionSnapshot,
  subscribeSession,
  writeCached,
} from './store';

const session = (email: string) => ({
  token: `vks_${email}`,
  name: 'Grace',
  email,
  expiresAt: '2999-01-01T00:00:00.000Z',
});

/** Waits for the first load from IndexedDB to settle. */
async function loaded(): Promise<void> {
  const off = subscribeSession(() => undefined);
  for (let i = 0; i < 50 && sessionSnapshot().status === 'loading'; i += 1) await new Promise((r) => setTimeout(r, 5));
  off();
}

describe('coordinator store', () => {
  beforeEach(async () => {
    await resetCoordinatorStoreForTests();
  });

  it('starts signed out, and remembers a session across a reload', async () => {
    await loaded();
    expect(sessionSnapshot()).toEqual({ status: 'signed-out' });
    await saveSession(session('grace@example.org'));
    expect(currentToken()).toBe('vks_grace@example.org');

    expect(await snapshotAfterReload()).toMatchObject({
      status: 'signed-in',
      expired: false,
      session: { name: 'Grace' },
    });
  });

  it('marks a refused session as ended and keeps the cached views', async () => {
    await loaded();
    await saveSession(session('grace@example.org'));
    await writeCached('/coordinator/workshops', { workshops: [] }, '2026-11-27T10:00:00.000Z');
    markExpired();
    expect(sessionSnapshot()).toMatchObject({ status: 'signed-in', expired: true });
    expect(await readCached('/coordinator/workshops')).toMatchObject({ value: { workshops: [] } });
  });

  it('clears the cache when another coordinator signs in, and forgets everything on sign-out', async () => {
    await loaded();
    await saveSession(session('grace@example.org'));
    await writeCached('/reports/follow-up?fiscalYear=2020', { fiscalYear: '2020/21' }, '2026-11-27T10:00:00.000Z');
    await saveSession(session('sherman@example.org'));
    expect(await readCached('/reports/follow-up?fiscalYear=2020')).toBeUndefined();

    await writeCached('/coordinator/workshops', { workshops: [] }, '2026-11-27T10:00:00.000Z');
    await forgetEverything();
    expect(sessionSnapshot()).toEqual({ status: 'signed-out' });
    expect(currentToken()).toBeNull();
    expect(await readCached('/coordinator/workshops')).toBeUndefined();
  });
});

/** A page reload: module state gone, IndexedDB kept. Returns the session state the fresh module loads. */
async function snapshotAfterReload() {
  const { vi } = await import('vitest');
  vi.resetModules();
  const fresh = await import('./store');
  const off = fresh.subscribeSession(() => undefined);
  for (let i = 0; i < 50 && fresh.sessionSnapshot().status === 'loading'; i += 1)
    await new Promise((r) => setTimeout(r, 5));
  off();
  return fresh.sessionSnapshot();
}
