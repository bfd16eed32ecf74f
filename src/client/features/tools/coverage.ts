/**
 * "Covered in" on a tool summary's page: the workshops on the phone that
 * cover the tool, each with the sessions that do, most recent workshop
 * first. A workshop counts when it names the tool itself or any of its
 * (not cancelled) sessions does; drafts and withdrawn records never show. Pure.
 */

interface WorkshopLike {
  id: string;
  startDate: string;
  status: string;
  toolSlugs: readonly string[];
  _deleted: boolean;
}

interface SessionLike {
  workshopId: string;
  date: string;
  start: string;
  status: string;
  toolSlugs: readonly string[];
  _deleted: boolean;
}

export interface Coverage<W, S> {
  workshop: W;
  /** The sessions naming the tool, in agenda order; empty when only the workshop as a whole does. */
  sessions: S[];
}

export function coverageOf<W extends WorkshopLike, S extends SessionLike>(
  slug: string,
  workshops: readonly W[],
  sessions: readonly S[],
): Coverage<W, S>[] {
  const bySession = new Map<string, S[]>();
  for (const s of sessions) {
    if (s._deleted || s.status === 'cancelled' || !s.toolSlugs.includes(slug)) continue;
    const list = bySession.get(s.workshopId);
    if (list) list.push(s);
    else bySession.set(s.workshopId, [s]);
  }
  return workshops
    .filter((w) => !w._deleted && w.status === 'published')
    .filter((w) => w.toolSlugs.includes(slug) || bySession.has(w.id))
    .sort((a, b) => b.startDate.localeCompare(a.startDate))
    .map((workshop) => ({
      workshop,
      sessions: (bySession.get(workshop.id) ?? []).sort(
        (a, b) => a.date.localeCompare(b.date) || a.start.localeCompare(b.start),
      ),
    }));
}
