/**
 * What an agenda session leads to: the link to join it online, the
 * materials that serve it and the WCO tool summaries it covers; and the
 * tools a whole workshop covers (the workshop page and the calendar
 * export both need them). Kept apart from the screen so the rules
 * (no join link for an in-person workshop, a tool not on the phone is left
 * out rather than shown as a dead link) are tested without a browser. Pure.
 */

/** The link to join a session; only an online or hybrid workshop's sessions have one. */
export function joinLinkOf(workshop: { mode: string }, session: { joinUrl: string | null }): string | null {
  return workshop.mode === 'in-person' ? null : session.joinUrl;
}

/** Materials by the id of each session they serve, in the order given (a material may serve several). */
export function materialsBySession<M extends { sessionIds: readonly string[] }>(
  materials: readonly M[],
): Map<string, M[]> {
  const out = new Map<string, M[]>();
  for (const m of materials) {
    for (const id of m.sessionIds) {
      const list = out.get(id);
      if (list) list.push(m);
      else out.set(id, [m]);
    }
  }
  return out;
}

/** The tool summaries named by `slugs`, in that order, leaving out those not on the phone. */
export function toolsNamed<T>(slugs: readonly string[], bySlug: ReadonlyMap<string, T>): T[] {
  return slugs.flatMap((slug) => {
    const tool = bySlug.get(slug);
    return tool === undefined ? [] : [tool];
  });
}

/**
 * Every tool a workshop covers: those it names itself, then those its
 * sessions name, in agenda order, each once. A cancelled session covers nothing.
 */
export function workshopToolSlugs(
  workshop: { toolSlugs: readonly string[] },
  sessions: readonly { toolSlugs: readonly string[]; status: string }[],
): string[] {
  const slugs = new Set(workshop.toolSlugs);
  for (const s of sessions) if (s.status !== 'cancelled') for (const slug of s.toolSlugs) slugs.add(slug);
  return [...slugs];
}
