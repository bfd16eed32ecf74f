/**
 * Reads of workshops, agendas and materials from the device's database.
 * Screens use these through useLiveQuery, so a sync that lands new rows
 * re-renders them without any refresh.
 */
import { getDb, type DeviceIdentity, type Stored } from '../../device/db/database';
import { pickContent, type ContentText } from './pick-content';

export type WorkshopRow = Stored<'workshops'>;
export type SessionRow = Stored<'agendaSessions'>;
export type MaterialRow = Stored<'materials'>;

/*
 * The server sends records as it stored them, so rows published before
 * sessions had join links, materials and tools lack those fields; absent
 * means none, as the shared schema's defaults say.
 */
export const withWorkshopDefaults = (w: WorkshopRow): WorkshopRow => ({ ...w, toolSlugs: w.toolSlugs ?? [] });
export const withSessionDefaults = (s: SessionRow): SessionRow => ({
  ...s,
  joinUrl: s.joinUrl ?? null,
  toolSlugs: s.toolSlugs ?? [],
});
const withMaterialDefaults = (m: MaterialRow): MaterialRow => ({ ...m, sessionIds: m.sessionIds ?? [] });

export async function listPublishedWorkshops(): Promise<WorkshopRow[]> {
  const rows = await getDb().workshops.orderBy('startDate').toArray();
  return rows.filter((w) => !w._deleted && w.status === 'published').map(withWorkshopDefaults);
}

/** null: not on this phone (never synced, deleted or unpublished). */
export async function getWorkshop(id: string): Promise<WorkshopRow | null> {
  const row = await getDb().workshops.get(id);
  return row && !row._deleted && row.status === 'published' ? withWorkshopDefaults(row) : null;
}

export async function listSessions(workshopId: string): Promise<SessionRow[]> {
  const rows = await getDb().agendaSessions.where('workshopId').equals(workshopId).toArray();
  return rows
    .filter((s) => !s._deleted)
    .map(withSessionDefaults)
    .sort((a, b) => a.date.localeCompare(b.date) || a.start.localeCompare(b.start) || a.end.localeCompare(b.end));
}

export async function listMaterials(workshopId: string): Promise<MaterialRow[]> {
  const rows = await getDb().materials.where('workshopId').equals(workshopId).toArray();
  return rows
    .filter((m) => !m._deleted)
    .map(withMaterialDefaults)
    .sort((a, b) => a.title.localeCompare(b.title));
}

/** The workshops this device's participant attended; empty before enrolment. */
export async function enrolledWorkshopIds(): Promise<string[]> {
  const row = await getDb().meta.get('device');
  return row?.key === 'device' ? (row as DeviceIdentity).workshopIds : [];
}

export interface LocalizedWorkshop {
  title: string;
  summary: string;
  /** `lang` of the title and the summary where they fell back to English. */
  titleLang: ContentText['lang'];
  summaryLang: ContentText['lang'];
  /** Something shown is not in the reader's language. */
  fallback: boolean;
}

/** The workshop's text in the reader's language where a coordinator translated it, else in English. */
export function localizedWorkshop(w: WorkshopRow, language: string): LocalizedWorkshop {
  const tr = w.translations[language];
  const title = pickContent(w.title, tr?.title, language);
  const summary = pickContent(w.summary, tr?.summary, language);
  return {
    title: title.text,
    summary: summary.text,
    titleLang: title.lang,
    summaryLang: summary.lang,
    fallback: title.lang !== undefined || summary.lang !== undefined,
  };
}
