/**
 * Reads of the WCO tool summaries stored on the device, in the reader's
 * language where a translation exists.
 */
import { getDb, type Stored } from '../../db/database';

export type ToolRow = Stored<'toolSummaries'>;

export async function listTools(): Promise<ToolRow[]> {
  const rows = await getDb().toolSummaries.toArray();
  return rows.filter((r) => !r._deleted).sort((a, b) => a.title.localeCompare(b.title));
}

/** null: not on this phone. */
export async function getToolBySlug(slug: string): Promise<ToolRow | null> {
  const row = await getDb().toolSummaries.where('slug').equals(slug).first();
  return row && !row._deleted ? row : null;
}

export function localizedTool(tool: ToolRow, language: string): { title: string; body: string } {
  const tr = tool.translations[language];
  return { title: tr?.title || tool.title, body: tr?.body || tool.body };
}
