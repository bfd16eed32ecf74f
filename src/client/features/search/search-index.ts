/**
 * One offline search over everything on the phone: workshops, agenda
 * sessions, materials, WCO tool summaries and the participant's own
 * follow-up notes. The index (minisearch) is built in memory on the first
 * search; afterwards a keystroke reads nothing from IndexedDB unless one of
 * the indexed tables changed (Dexie's storagemutated event, which also
 * carries the worker's and other tabs' writes), and a change re-indexes only
 * the documents that differ. minisearch itself arrives as a lazy chunk on
 * that first search. Matching ignores case and accents, and finds words
 * by prefix with a little fuzziness for typing on a phone.
 */
import { Dexie } from 'dexie';
import type MiniSearch from 'minisearch';
import type { VakaDatabase } from '../../../device/db/database';

export type SearchKind = 'session' | 'material' | 'tool' | 'workshop' | 'note';

export interface SearchDoc {
  id: string;
  kind: SearchKind;
  title: string;
  text: string;
  /** Speakers, rooms, tags, topic: matched with less weight than the title. */
  extra: string;
  href: string;
  /** Where the hit lives (the workshop's title), shown under it. */
  context: string;
}

export type SearchHit = Pick<SearchDoc, 'id' | 'kind' | 'title' | 'text' | 'href' | 'context'> & {
  terms: string[];
  score: number;
};

/** Lower case without accents, so "reunion" finds "Réunion" and "cafe" finds "café". */
export function normalize(term: string): string {
  return term
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

/** Markdown to plain words: the index should not match "##" or link targets. */
function plainText(markdown: string): string {
  return markdown
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[#*_`>|~-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export async function collectDocuments(db: VakaDatabase, language: string): Promise<SearchDoc[]> {
  const [workshops, sessions, materials, tools, notes] = await Promise.all([
    db.workshops.toArray(),
    db.agendaSessions.toArray(),
    db.materials.toArray(),
    db.toolSummaries.toArray(),
    db.followUpActions.toArray(),
  ]);
  const visible = new Map(
    workshops
      .filter((w) => !w._deleted && w.status === 'published')
      .map((w) => [w.id, w.translations[language]?.title || w.title]),
  );
  const docs: SearchDoc[] = [];
  for (const w of workshops) {
    const title = visible.get(w.id);
    if (title === undefined) continue;
    docs.push({
      id: `workshop:${w.id}`,
      kind: 'workshop',
      title,
      text: w.translations[language]?.summary || w.summary,
      extra: [w.topic, w.venue?.city, w.venue?.country, ...w.organisers].filter(Boolean).join(' '),
      href: `/workshops/${w.id}`,
      context: w.startDate,
    });
  }
  for (const s of sessions) {
    const workshop = visible.get(s.workshopId);
    if (s._deleted || workshop === undefined) continue;
    docs.push({
      id: `session:${s.id}`,
      kind: 'session',
      title: s.title,
      text: s.description,
      extra: [...s.speakers, s.room].join(' '),
      href: `/workshops/${s.workshopId}#session-${s.id}`,
      context: workshop,
    });
  }
  for (const m of materials) {
    const workshop = visible.get(m.workshopId);
    if (m._deleted || workshop === undefined) continue;
    docs.push({
      id: `material:${m.id}`,
      kind: 'material',
      title: m.title,
      text: '',
      extra: m.language,
      href: `/materials/${m.id}`,
      context: workshop,
    });
  }
  for (const tool of tools) {
    if (tool._deleted) continue;
    const tr = tool.translations[language];
    docs.push({
      id: `tool:${tool.id}`,
      kind: 'tool',
      title: tr?.title || tool.title,
      text: plainText(tr?.body || tool.body),
      extra: tool.tags.join(' '),
      href: `/tools/${tool.slug}`,
      context: '',
    });
  }
  for (const note of notes) {
    if (note._deleted) continue;
    docs.push({
      id: `note:${note.id}`,
      kind: 'note',
      title: note.description.slice(0, 120),
      text: note.description,
      extra: [note.audience, note.channel ?? ''].join(' '),
      href: `/workshops/${note.workshopId}/follow-up/${note.id}`,
      context: visible.get(note.workshopId) ?? '',
    });
  }
  return docs;
}

export async function createIndex(docs: SearchDoc[]): Promise<MiniSearch<SearchDoc>> {
  const { default: MiniSearchClass } = await import('minisearch');
  const index = new MiniSearchClass<SearchDoc>({
    fields: ['title', 'text', 'extra'],
    storeFields: ['kind', 'title', 'text', 'href', 'context'],
    processTerm: (term) => normalize(term) || null,
    searchOptions: {
      boost: { title: 3, extra: 1.5 },
      prefix: true,
      fuzzy: (term) => (term.length > 4 ? 0.2 : false),
      combineWith: 'AND',
    },
  });
  index.addAll(docs);
  return index;
}

const INDEXED_TABLES = ['workshops', 'agendaSessions', 'materials', 'toolSummaries', 'followUpActions'];

/** Per database name, how many times an indexed table has changed since this module loaded. */
const generations = new Map<string, number>();

Dexie.on('storagemutated', (parts) => {
  for (const part of Object.keys(parts)) {
    const [, name, table] = /^idb:\/\/(.+)\/([^/]+)\//.exec(part) ?? [];
    if (name !== undefined && table !== undefined && INDEXED_TABLES.includes(table))
      generations.set(name, (generations.get(name) ?? 0) + 1);
  }
});

interface Built {
  db: string;
  language: string;
  generation: number;
  docs: Map<string, SearchDoc>;
  index: MiniSearch<SearchDoc>;
}

const sameDoc = (a: SearchDoc, b: SearchDoc) =>
  a.kind === b.kind &&
  a.title === b.title &&
  a.text === b.text &&
  a.extra === b.extra &&
  a.href === b.href &&
  a.context === b.context;

/** Brings an index up to date with the documents now on the phone, touching only those that differ. */
function update(
  index: MiniSearch<SearchDoc>,
  before: Map<string, SearchDoc>,
  now: SearchDoc[],
): Map<string, SearchDoc> {
  const after = new Map(now.map((doc) => [doc.id, doc]));
  for (const [id, doc] of before) {
    const next = after.get(id);
    if (!next) index.discard(id);
    else if (!sameDoc(doc, next)) index.replace(next);
  }
  for (const doc of now) if (!before.has(doc.id)) index.add(doc);
  return after;
}

/** Each search waits for the one before, so two keystrokes never update the same index at once. */
let latest: Promise<Built | null> = Promise.resolve(null);

function indexFor(db: VakaDatabase, language: string): Promise<MiniSearch<SearchDoc>> {
  const generation = generations.get(db.name) ?? 0;
  const next = latest
    .catch(() => null)
    .then(async (previous): Promise<Built> => {
      const reusable = previous?.db === db.name && previous.language === language ? previous : null;
      if (reusable?.generation === generation) return reusable;
      const docs = await collectDocuments(db, language);
      if (reusable) return { ...reusable, generation, docs: update(reusable.index, reusable.docs, docs) };
      const index = await createIndex(docs);
      return { db: db.name, language, generation, docs: new Map(docs.map((d) => [d.id, d])), index };
    });
  latest = next;
  return next.then((built) => built.index);
}

export async function search(db: VakaDatabase, language: string, query: string, limit = 60): Promise<SearchHit[]> {
  if (query.trim().length < 2) return [];
  const index = await indexFor(db, language);
  return index
    .search(query)
    .slice(0, limit)
    .map((r) => ({
      id: String(r.id),
      kind: r.kind as SearchKind,
      title: r.title as string,
      text: r.text as string,
      href: r.href as string,
      context: r.context as string,
      terms: r.terms,
      score: r.score,
    }));
}

export interface Segment {
  text: string;
  match: boolean;
}

/**
 * A short excerpt around the first matching word, cut into plain and
 * matching segments for <mark>: highlighting without building HTML.
 */
export function excerpt(text: string, terms: readonly string[], radius = 70): Segment[] {
  if (!text) return [];
  const folded = normalize(text);
  // normalize() can change lengths (ligatures); fall back to the start when it does.
  const aligned = folded.length === text.length;
  const needles = terms.map(normalize).filter((t) => t.length > 0);
  let first = -1;
  if (aligned) {
    for (const n of needles) {
      const at = folded.indexOf(n);
      if (at !== -1 && (first === -1 || at < first)) first = at;
    }
  }
  const from = first > radius ? text.lastIndexOf(' ', first - radius) + 1 : 0;
  const to = Math.min(text.length, Math.max(from + radius * 2, first + radius));
  const slice = text.slice(from, to);
  const segments: Segment[] = [];
  if (from > 0) segments.push({ text: '…', match: false });
  if (!aligned || needles.length === 0) {
    segments.push({ text: slice, match: false });
  } else {
    const foldedSlice = folded.slice(from, to);
    let position = 0;
    while (position < slice.length) {
      let best = -1;
      let bestLength = 0;
      for (const n of needles) {
        const at = foldedSlice.indexOf(n, position);
        if (at !== -1 && (best === -1 || at < best || (at === best && n.length > bestLength))) {
          best = at;
          bestLength = n.length;
        }
      }
      if (best === -1) {
        segments.push({ text: slice.slice(position), match: false });
        break;
      }
      if (best > position) segments.push({ text: slice.slice(position, best), match: false });
      segments.push({ text: slice.slice(best, best + bestLength), match: true });
      position = best + bestLength;
    }
  }
  if (to < text.length) segments.push({ text: '…', match: false });
  return segments;
}
