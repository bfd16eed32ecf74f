/**
 * The page's one download manager with the browser's real fetch, storage
 * estimate, online events and Web Locks, plus the React hooks screens use to
 * show a workshop pack: its plan (sizes before anything is fetched) from
 * IndexedDB and live progress from the manager.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { getDb, type VakaDatabase } from '../../../device/db/database';
import { DEFAULT_CHUNK_BYTES } from '../../../device/downloads/fetch-file';
import { DownloadManager, type ManagerSnapshot } from '../../../device/downloads/manager';
import { planPack, type MaterialRef, type PackPlan } from '../../../device/downloads/plan';
import { readCompleteFile } from '../../../device/downloads/store';
import type { MaterialDownload, StoredFile } from '../../../device/downloads/types';

/**
 * A diagnostic override of the chunk size (localStorage), used by the
 * browser tests to cut a small sample PDF into several ranged requests.
 */
const CHUNK_OVERRIDE_KEY = 'vaka:downloadChunkBytes';

function chunkBytes(): number {
  try {
    const override = Number(localStorage.getItem(CHUNK_OVERRIDE_KEY));
    if (Number.isInteger(override) && override >= 256 && override <= 4 * 1024 * 1024) return override;
  } catch {
    // Private modes may refuse localStorage; the default is right anyway.
  }
  return DEFAULT_CHUNK_BYTES;
}

let manager: DownloadManager | null = null;

export function getDownloadManager(): DownloadManager {
  manager ??= new DownloadManager(getDb(), {
    chunkBytes: chunkBytes(),
    estimate: navigator.storage?.estimate ? () => navigator.storage.estimate() : null,
    isOnline: () => navigator.onLine,
    onOnline: (listener) => {
      window.addEventListener('online', listener);
      return () => window.removeEventListener('online', listener);
    },
  });
  return manager;
}

export function useDownloadManager(): ManagerSnapshot {
  const m = getDownloadManager();
  return useSyncExternalStore(m.subscribe, m.getSnapshot);
}

interface PackRows {
  downloads: MaterialDownload[];
  files: StoredFile[];
}

async function readPackRows(db: VakaDatabase, materials: readonly MaterialRef[]): Promise<PackRows> {
  const downloads = (await db.downloads.bulkGet(materials.map((m) => m.id))).filter(
    (d): d is MaterialDownload => d !== undefined,
  );
  const shas = new Set([...materials.map((m) => m.sha256), ...downloads.flatMap((d) => (d.sha256 ? [d.sha256] : []))]);
  const files = (await db.files.bulkGet([...shas])).filter((f): f is StoredFile => f !== undefined);
  return { downloads, files };
}

/** The pack's plan, live: it updates as chunks land and as syncs bring new versions. */
export function usePackPlan(materials: readonly MaterialRef[] | undefined): PackPlan | undefined {
  const key = (materials ?? []).map((m) => `${m.id}:${m.sha256}`).join();
  const rows = useLiveQuery(
    () => (materials ? readPackRows(getDb(), materials) : undefined),
    // The key captures every field the read depends on.
    [key],
  );
  return materials && rows ? planPack(materials, rows.downloads, rows.files) : undefined;
}

/** The material's download row (which version opens, which is on its way). */
export function useMaterialDownload(materialId: string): MaterialDownload | null | undefined {
  return useLiveQuery(async () => (await getDb().downloads.get(materialId)) ?? null, [materialId]);
}

export interface OpenableFile {
  blob: Blob;
  url: string;
}

/**
 * An object URL of a verified file, for a plain link the participant taps
 * (links open reliably where a window.open after an await is blocked, as on
 * iOS). Composed of on-disk Blob chunks, so it costs no memory until read.
 */
export function useOpenableFile(sha256: string | null | undefined): OpenableFile | null {
  const [file, setFile] = useState<OpenableFile | null>(null);
  useEffect(() => {
    if (!sha256) return;
    let url: string | null = null;
    let live = true;
    void readCompleteFile(getDb(), sha256).then(
      (blob) => {
        if (!live || !blob) return;
        url = URL.createObjectURL(blob);
        setFile({ blob, url });
      },
      () => undefined,
    );
    return () => {
      live = false;
      setFile(null);
      // Deferred so a tab still opening the file gets to read it.
      const toRevoke = url;
      if (toRevoke) setTimeout(() => URL.revokeObjectURL(toRevoke), 60_000);
    };
  }, [sha256]);
  return sha256 ? file : null;
}
