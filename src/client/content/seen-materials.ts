/**
 * Which version of each material the participant has seen, kept in
 * IndexedDB so the "updated" mark survives closing the app. The first time a
 * workshop's materials are on the device their versions become the
 * baseline; a later version counts as updated until the participant opens
 * it. Shared by the materials screens and the agenda baselines taken after
 * each sync.
 */
import type { VakaDatabase } from '../../device/db/database';
import type { SeenMaterial } from '../../device/downloads/types';

export async function readSeenMaterials(db: VakaDatabase, workshopId: string): Promise<Map<string, SeenMaterial>> {
  const rows = await db.seenMaterials.where('workshopId').equals(workshopId).toArray();
  return new Map(rows.map((r) => [r.materialId, r]));
}

/** Notes the version of each material not yet recorded, so only later replacements count as "updated". */
export async function baselineMaterials(db: VakaDatabase, workshopId: string): Promise<void> {
  await db.transaction('rw', db.seenMaterials, db.materials, async () => {
    const [materials, seen] = await Promise.all([
      db.materials.where('workshopId').equals(workshopId).toArray(),
      db.seenMaterials.where('workshopId').equals(workshopId).primaryKeys(),
    ]);
    const known = new Set(seen);
    const fresh = materials.filter((m) => !m._deleted && !known.has(m.id));
    await db.seenMaterials.bulkPut(fresh.map((m) => ({ materialId: m.id, workshopId, version: m.version })));
  });
}

/** The participant opened this version. */
export async function markMaterialSeen(
  db: VakaDatabase,
  material: { id: string; workshopId: string; version: number },
): Promise<void> {
  await db.seenMaterials.put({ materialId: material.id, workshopId: material.workshopId, version: material.version });
}

export function isUpdatedSince(seen: SeenMaterial | undefined, material: { version: number }): boolean {
  return seen !== undefined && material.version > seen.version;
}
