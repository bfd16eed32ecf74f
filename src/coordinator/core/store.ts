/**
 * The coordinator workspace's own IndexedDB database, kept apart from the
 * participant's "vaka" database so signing out (or a revoked phone's wipe)
 * never touches the other: the session token and the last answer of every
 * API view, so the screens still open at a venue with no connection.
 * Signing out deletes it all, because the cached rosters hold e-mail
 * addresses.
 */
import { Dexie, type EntityTable } from 'dexie';

export interface CoordinatorSession {
  token: string;
  name: string;
  email: string;
  expiresAt: string;
}

interface SessionRow extends CoordinatorSession {
  key: 'session';
}

export interface CacheRow {
  /** The API path, query string included. */
  key: string;
  value: unknown;
  fetchedAt: string;
}

class CoordinatorDatabase extends Dexie {
  session!: EntityTable<SessionRow, 'key'>;
  cache!: EntityTable<CacheRow, 'key'>;

  constructor() {
    super('vaka-coordinator');
    this.version(1).stores({ session: 'key', cache: 'key' });
  }
}

let db: CoordinatorDatabase | null = null;
function database(): CoordinatorDatabase {
  db ??= new CoordinatorDatabase();
  return db;
}

// ---------------------------------------------------------------------------
// Session state, shared by every screen through useSyncExternalStore.

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out' }
  /** `expired`: the server refused the token; cached views stay readable until the next sign-in. */
  | { status: 'signed-in'; session: CoordinatorSession; expired: boolean };

let state: SessionState = { status: 'loading' };
const listeners = new Set<() => void>();
let loadStarted = false;

function setState(next: SessionState): void {
  state = next;
  for (const l of listeners) l();
}

export function subscribeSession(listener: () => void): () => void {
  listeners.add(listener);
  if (!loadStarted) {
    loadStarted = true;
    void database()
      .session.get('session')
      .then(
        (row) => {
          if (state.status !== 'loading') return;
          if (!row) return setState({ status: 'signed-out' });
          const { key: _key, ...session } = row;
          setState({ status: 'signed-in', session, expired: session.expiresAt <= new Date().toISOString() });
        },
        () => setState({ status: 'signed-out' }),
      );
  }
  return () => listeners.delete(listener);
}

export function sessionSnapshot(): SessionState {
  return state;
}

export function currentToken(): string | null {
  return state.status === 'signed-in' ? state.session.token : null;
}

export async function saveSession(session: CoordinatorSession): Promise<void> {
  // Another coordinator signing in on this computer must not see the previous one's cached rosters.
  const previous = state.status === 'signed-in' ? state.session.email : null;
  if (previous !== null && previous !== session.email) await database().cache.clear();
  await database().session.put({ key: 'session', ...session });
  memory.clear();
  setState({ status: 'signed-in', session, expired: false });
}

export function markExpired(): void {
  if (state.status === 'signed-in' && !state.expired) setState({ ...state, expired: true });
}

/** Forgets the session and every cached answer. */
export async function forgetEverything(): Promise<void> {
  memory.clear();
  setState({ status: 'signed-out' });
  await database().transaction('rw', database().session, database().cache, async () => {
    await database().session.clear();
    await database().cache.clear();
  });
}

// ---------------------------------------------------------------------------
// Cached API answers: memory first (instant when moving between screens),
// IndexedDB behind it (survives a reload with no connection).

const memory = new Map<string, CacheRow>();

export async function readCached(key: string): Promise<CacheRow | undefined> {
  const hit = memory.get(key);
  if (hit) return hit;
  const row = await database().cache.get(key);
  if (row) memory.set(key, row);
  return row;
}

export function readCachedNow(key: string): CacheRow | undefined {
  return memory.get(key);
}

export async function writeCached(key: string, value: unknown, fetchedAt: string): Promise<void> {
  const row = { key, value, fetchedAt };
  memory.set(key, row);
  await database().cache.put(row);
}

/** For tests: a fresh module state over a fresh database. */
export async function resetCoordinatorStoreForTests(): Promise<void> {
  memory.clear();
  state = { status: 'loading' };
  loadStarted = false;
  await database().delete();
  db = null;
}
