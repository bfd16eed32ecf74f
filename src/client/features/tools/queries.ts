/**
 * Reads of the WCO tool summaries stored on the device, in the reader's
 * language where a translation exists, and of the workshops and sessions
 * that cover each one.
 */
import { getDb, type Stored } from '../../../device/db/database';
import { pickContent, type ContentText } from '../../content/pick-content';
import { withSessionDefaults, withWorkshopDefaults, type SessionRow, type WorkshopRow } from '../../content/workshops';
import { coverageOf, type Coverage } from './coverage';

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

/** The workshops and sessions on this phone that cover the tool (a scan: a few hundred rows at most). */
export async function toolCoverage(slug: string): Promise<Coverage<WorkshopRow, SessionRow>[]> {
  const [workshops, sessions] = await Promise.all([getDb().workshops.toArray(), getDb().agendaSessions.toArray()]);
  return coverageOf(slug, workshops.map(withWorkshopDefaults), sessions.map(withSessionDefaults));
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
