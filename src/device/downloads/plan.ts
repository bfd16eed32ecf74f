/**
 * What a workshop's "Download all for offline" would do, worked out before
 * anything is fetched: which materials are already on the device at their
 * current version, which have an older version, which are half-way, and how
 * many bytes remain. Files are content-addressed, so a material whose file
 * did not change costs nothing, and two materials sharing a file count once.
 * Pure.
 */
import type { MaterialDownload, StoredFile } from './types';

/** The fields of a material record the downloader needs. */
export interface MaterialRef {
  id: string;
  workshopId: string;
  sha256: string;
  byteSize: number;
  mediaType: string;
  audience: 'public' | 'participants';
}

/**
 * current: the published version opens offline. outdated: an older version
 * opens, the new one is not here yet. none: nothing opens yet.
 */
export type MaterialOfflineState = 'current' | 'outdated' | 'none';

export interface MaterialPlan {
  materialId: string;
  state: MaterialOfflineState;
  /** Bytes of the current version already on the device (partial downloads count). */
  receivedBytes: number;
  byteSize: number;
  error: MaterialDownload['error'];
}

export interface PackPlan {
  items: Map<string, MaterialPlan>;
  /** Size of every material's current version. */
  totalBytes: number;
  /** What "Download all" would still fetch. */
  bytesToFetch: number;
  /** Materials that would need a request (or just a link to a file another material already has). */
  toFetch: MaterialRef[];
}

export function planPack(
  materials: readonly MaterialRef[],
  downloads: readonly MaterialDownload[],
  files: readonly StoredFile[],
): PackPlan {
  const byMaterial = new Map(downloads.map((d) => [d.materialId, d]));
  const bySha = new Map(files.map((f) => [f.sha256, f]));
  const counted = new Set<string>();
  const items = new Map<string, MaterialPlan>();
  const toFetch: MaterialRef[] = [];
  let totalBytes = 0;
  let bytesToFetch = 0;

  for (const m of materials) {
    const download = byMaterial.get(m.id);
    const file = bySha.get(m.sha256);
    const complete = file?.state === 'complete';
    const state: MaterialOfflineState =
      download?.sha256 === m.sha256 && complete ? 'current' : download?.sha256 ? 'outdated' : 'none';
    const receivedBytes = complete ? m.byteSize : Math.min(file?.receivedBytes ?? 0, m.byteSize);
    items.set(m.id, {
      materialId: m.id,
      state,
      receivedBytes,
      byteSize: m.byteSize,
      error: download?.pendingSha256 === m.sha256 ? download.error : null,
    });
    if (!counted.has(m.sha256)) {
      counted.add(m.sha256);
      totalBytes += m.byteSize;
      if (state !== 'current') bytesToFetch += m.byteSize - receivedBytes;
    }
    if (state !== 'current') toFetch.push(m);
  }
  return { items, totalBytes, bytesToFetch, toFetch };
}
