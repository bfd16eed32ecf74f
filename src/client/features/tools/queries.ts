/**
 * Reads of the WCO tool summaries stored on the device, in the reader's
 * language where a translation exists.
 */
import { getDb, type Stored } from '../../db/database';
import { pickContent, type ContentText } from '../../i18n/content';

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

export interface LocalizedTool {
  title: string;
  body: string;
  /** `lang` of the title and the body where they fell back to English. */
  titleLang: ContentText['lang'];
  bodyLang: ContentText['lang'];
  fallback: boolean;
}

export function localizedTool(tool: ToolRow, language: string): LocalizedTool {
  const tr = tool.translations[language];
  const title = pickContent(tool.title, tr?.title, language);
  const body = pickContent(tool.body, tr?.body, language);
  return {
    title: title.text,
    body: body.text,
    titleLang: title.lang,
    bodyLang: body.lang,
    fallback: title.lang !== undefined || body.lang !== undefined,
  };
}
