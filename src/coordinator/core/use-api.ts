/**
 * Reading an API view with the last answer as a fallback: the screen shows
 * what it had (memory, then IndexedDB) at once, asks the server, and keeps
 * the old answer with a note of its age when the server cannot be reached.
 * After any change a coordinator makes, every mounted view asks again.
 */
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { ApiProblem, apiRequest } from './api';
import { readCached, readCachedNow, sessionSnapshot, subscribeSession, writeCached } from './store';

let generation = 0;
const generationListeners = new Set<() => void>();

/** Call after a successful write: mounted views fetch again. */
export function invalidateViews(): void {
  generation += 1;
  for (const l of generationListeners) l();
}

function subscribeGeneration(listener: () => void): () => void {
  generationListeners.add(listener);
  return () => generationListeners.delete(listener);
}

export interface ApiView<T> {
  data: T | undefined;
  /** When `data` came from the server. */
  fetchedAt: string | null;
  /** The last attempt failed; `data` (if any) is older. */
  error: ApiProblem | null;
  loading: boolean;
  reload: () => void;
}

interface Loaded {
  key: string | null;
  data: unknown;
  fetchedAt: string | null;
  error: ApiProblem | null;
  loading: boolean;
}

function initial(path: string | null): Loaded {
  const hit = path === null ? undefined : readCachedNow(path);
  return { key: path, data: hit?.value, fetchedAt: hit?.fetchedAt ?? null, error: null, loading: path !== null };
}

export function useApi<T>(path: string | null): ApiView<T> {
  const gen = useSyncExternalStore(subscribeGeneration, () => generation);
  const [manual, setManual] = useState(0);
  const [loaded, setLoaded] = useState<Loaded>(() => initial(path));
  // A new path starts from its own cache, never from the previous path's data.
  if (loaded.key !== path) setLoaded(initial(path));

  useEffect(() => {
    if (path === null) return;
    let live = true;
    void readCached(path).then((hit) => {
      if (!live || !hit) return;
      setLoaded((prev) =>
        prev.key === path && prev.fetchedAt === null ? { ...prev, data: hit.value, fetchedAt: hit.fetchedAt } : prev,
      );
    });
    apiRequest<T>('GET', path).then(
      async (value) => {
        const fetchedAt = new Date().toISOString();
        if (live) setLoaded({ key: path, data: value, fetchedAt, error: null, loading: false });
        await writeCached(path, value, fetchedAt).catch(() => undefined);
      },
      (err: unknown) => {
        const problem = err instanceof ApiProblem ? err : new ApiProblem(0, 'offline', String(err));
        if (live) setLoaded((prev) => (prev.key === path ? { ...prev, error: problem, loading: false } : prev));
      },
    );
    return () => {
      live = false;
    };
  }, [path, gen, manual]);

  const reload = useCallback(() => setManual((n) => n + 1), []);
  return {
    data: loaded.data as T | undefined,
    fetchedAt: loaded.fetchedAt,
    error: loaded.error,
    loading: loaded.loading,
    reload,
  };
}

export function useSession() {
  return useSyncExternalStore(subscribeSession, sessionSnapshot);
}
