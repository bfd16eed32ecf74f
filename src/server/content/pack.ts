/**
 * Loads a content pack folder (demo content, or one given to `admin
 * import-pack`): parses every *.json with the ContentPackFile schema, merges
 * them, and refuses the whole pack if any record is malformed, points at
 * something missing (a workshop, a session a material serves, a tool summary
 * a workshop or session covers), gives an in-person session a join link, or
 * names a material file whose bytes do not match. It only reads; writing the
 * records to the database is the caller's job.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type * as z from 'zod';
import { ContentPackFile, type PackMaterial } from '../../shared/schemas/content-pack';
import { isMemberCode } from '../../shared/domain/members';

type PackMaterialRecord = z.infer<typeof PackMaterial>;

export type LoadedMaterial = PackMaterialRecord & {
  /** Absolute path of the material's bytes, already checked against byteSize and sha256. */
  absolutePath: string;
};

type ParsedFile = z.infer<typeof ContentPackFile>;

export interface LoadedPack {
  dir: string;
  /** The JSON files read, in load order. */
  files: string[];
  workshops: ParsedFile['workshops'];
  agendaSessions: ParsedFile['agendaSessions'];
  materials: LoadedMaterial[];
  toolSummaries: ParsedFile['toolSummaries'];
  participants: ParsedFile['participants'];
  roster: ParsedFile['roster'];
  followUpActions: ParsedFile['followUpActions'];
  surveyResponses: ParsedFile['surveyResponses'];
  evaluations: ParsedFile['evaluations'];
}

/** Where a record came from, so an error can point a coordinator at the exact line to fix. */
interface Located<T> {
  file: string;
  path: string;
  record: T;
}

/** The line of a JSON syntax error, from V8's "at position N" (the end of the text when it ran out). */
function jsonErrorLine(text: string, message: string): number {
  return text.slice(0, jsonErrorPosition(text, message)).split('\n').length;
}

function jsonErrorPosition(text: string, message: string): number {
  const at = /position (\d+)/.exec(message);
  if (at) return Math.min(Number(at[1]), text.length);
  // "Unexpected token 'x', ..."context"... is not valid JSON": V8 quotes the text around the token
  // (ten characters either side, with "..." where it cut) instead of giving a position.
  const quoted = /^Unexpected token '([\s\S])', (\.\.\.)?"([\s\S]*)"(\.\.\.)? is not valid JSON$/.exec(message);
  if (quoted) {
    const [, token, cutBefore, context] = quoted as unknown as [string, string, string | undefined, string];
    const start = text.indexOf(context);
    if (start >= 0) return start + (cutBefore ? Math.min(10, context.length) : Math.max(0, context.indexOf(token)));
  }
  return text.length;
}

/** `workshops[3].endDate` from zod's ['workshops', 3, 'endDate']. */
export function formatPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out === '' ? '(top level)' : out;
}

/** Thrown with every problem found, one per line, so a coordinator can fix a pack in one pass. */
export class ContentPackError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'ContentPackError';
  }
}

const COLLECTIONS = [
  'workshops',
  'agendaSessions',
  'materials',
  'toolSummaries',
  'participants',
  'roster',
  'followUpActions',
  'surveyResponses',
  'evaluations',
] as const;
type CollectionKey = (typeof COLLECTIONS)[number];
type RecordOf<K extends CollectionKey> = ParsedFile[K][number];
type LocatedCollections = { [K in CollectionKey]: Located<RecordOf<K>>[] };

async function parseFiles(dir: string, files: readonly string[]): Promise<LocatedCollections> {
  const problems: string[] = [];
  const all: LocatedCollections = {
    workshops: [],
    agendaSessions: [],
    materials: [],
    toolSummaries: [],
    participants: [],
    roster: [],
    followUpActions: [],
    surveyResponses: [],
    evaluations: [],
  };
  for (const file of files) {
    let raw: unknown;
    const text = await readFile(path.join(dir, file), 'utf8');
    try {
      raw = JSON.parse(text);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      problems.push(`${file}: line ${jsonErrorLine(text, message)}: Not valid JSON: ${message}`);
      continue;
    }
    const parsed = ContentPackFile.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        // Zod reports unknown keys at their parent; naming the key itself points at the typo.
        const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
        for (const key of keys) {
          const where = key === undefined ? issue.path : [...issue.path, key];
          problems.push(`${file}: ${formatPath(where)}: ${issue.message}`);
        }
      }
      continue;
    }
    for (const key of COLLECTIONS) {
      const records: readonly RecordOf<typeof key>[] = parsed.data[key];
      const target = all[key] as Located<RecordOf<typeof key>>[];
      records.forEach((record, index) => target.push({ file, path: `${key}[${index}]`, record }));
    }
  }
  if (problems.length > 0) throw new ContentPackError(problems);
  return all;
}

function checkReferences(all: LocatedCollections): string[] {
  const problems: string[] = [];
  const at = (item: Located<unknown>, field: string, message: string) =>
    problems.push(`${item.file}: ${item.path}.${field}: ${message}`);

  const indexById = <T extends { id: string }>(items: readonly Located<T>[]) => {
    const byId = new Map<string, Located<T>>();
    for (const item of items) {
      const first = byId.get(item.record.id);
      if (first) at(item, 'id', `Duplicate id ${item.record.id}; first used at ${first.file}: ${first.path}.`);
      else byId.set(item.record.id, item);
    }
    return byId;
  };

  const workshops = indexById(all.workshops);
  const sessions = indexById(all.agendaSessions);
  indexById(all.materials);
  indexById(all.toolSummaries);
  const participants = indexById(all.participants);
  const responses = indexById(all.surveyResponses);
  indexById(all.followUpActions);
  indexById(all.evaluations);

  const slugs = new Map<string, Located<unknown>>();
  for (const tool of all.toolSummaries) {
    const first = slugs.get(tool.record.slug);
    if (first) at(tool, 'slug', `Duplicate slug "${tool.record.slug}"; first used at ${first.file}: ${first.path}.`);
    else slugs.set(tool.record.slug, tool);
  }

  all.workshops.forEach((w) =>
    w.record.administrations.forEach((code, i) => {
      if (!isMemberCode(code)) at(w, `administrations[${i}]`, `Unknown member code ${code}.`);
    }),
  );
  for (const p of all.participants) {
    if (!isMemberCode(p.record.memberCode)) at(p, 'memberCode', `Unknown member code ${p.record.memberCode}.`);
  }

  const needWorkshop = (item: Located<{ workshopId: string }>) => {
    const workshop = workshops.get(item.record.workshopId);
    if (!workshop) at(item, 'workshopId', `Unknown workshop ${item.record.workshopId}.`);
    return workshop?.record;
  };
  const needParticipant = (item: Located<{ participantId: string }>) => {
    const found = participants.has(item.record.participantId);
    if (!found) at(item, 'participantId', `Unknown participant ${item.record.participantId}.`);
    return found;
  };

  // Tool links must name a summary in the pack, or phones would show a link to nothing.
  const needTools = (item: Located<{ toolSlugs: readonly string[] }>) =>
    item.record.toolSlugs.forEach((slug, i) => {
      if (!slugs.has(slug))
        at(item, `toolSlugs[${i}]`, `Unknown tool summary "${slug}": no tool summary has this slug.`);
    });
  all.workshops.forEach(needTools);

  for (const s of all.agendaSessions) {
    const w = needWorkshop(s);
    if (w && (s.record.date < w.startDate || s.record.date > w.endDate)) {
      at(s, 'date', `${s.record.date} is outside the workshop's dates (${w.startDate} to ${w.endDate}).`);
    }
    if (w && s.record.joinUrl !== null && w.mode === 'in-person') {
      at(s, 'joinUrl', 'A join link is only for online or hybrid workshops; this workshop is in person.');
    }
    needTools(s);
  }
  for (const m of all.materials) {
    needWorkshop(m);
    m.record.sessionIds.forEach((id, i) => {
      const session = sessions.get(id)?.record;
      if (!session) at(m, `sessionIds[${i}]`, `Unknown agenda session ${id}.`);
      else if (session.workshopId !== m.record.workshopId) {
        at(m, `sessionIds[${i}]`, `Agenda session ${id} belongs to another workshop than this material.`);
      }
    });
  }

  const rostered = new Set<string>();
  for (const entry of all.roster) {
    const w = needWorkshop(entry);
    const p = needParticipant(entry);
    const key = `${entry.record.workshopId}|${entry.record.participantId}`;
    if (rostered.has(key)) at(entry, 'participantId', 'This participant is already on that workshop roster.');
    if (w && p) rostered.add(key);
  }

  // Only people who attended a workshop can report on it; anything else is a mistyped id.
  const needRostered = (item: Located<{ workshopId: string; participantId: string }>) => {
    const w = needWorkshop(item);
    const p = needParticipant(item);
    if (w && p && !rostered.has(`${item.record.workshopId}|${item.record.participantId}`)) {
      at(item, 'participantId', `Participant ${item.record.participantId} is not on the roster of that workshop.`);
    }
  };
  all.followUpActions.forEach(needRostered);
  all.evaluations.forEach(needRostered);
  all.surveyResponses.forEach(needRostered);

  const revisions = new Set<string>();
  for (const r of all.surveyResponses) {
    const key = `${r.record.participantId}|${r.record.workshopId}|${r.record.revision}`;
    if (revisions.has(key))
      at(r, 'revision', `Revision ${r.record.revision} of this participant's response exists twice.`);
    revisions.add(key);
    const supersedes = r.record.supersedes;
    if (supersedes !== null) {
      const previous = responses.get(supersedes)?.record;
      if (!previous) at(r, 'supersedes', `Unknown survey response ${supersedes}.`);
      else if (previous.participantId !== r.record.participantId || previous.workshopId !== r.record.workshopId) {
        at(r, 'supersedes', 'A revision must amend a response of the same participant and workshop.');
      }
    }
  }
  return problems;
}

async function checkMaterialFiles(dir: string, materials: readonly Located<PackMaterialRecord>[]) {
  const problems: string[] = [];
  const loaded: LoadedMaterial[] = [];
  const root = path.resolve(dir);
  for (const m of materials) {
    const where = `${m.file}: ${m.path}.file`;
    // The schema bars "..", but an absolute path would still escape the pack folder.
    const absolutePath = path.resolve(root, m.record.file);
    if (path.isAbsolute(m.record.file) || !absolutePath.startsWith(root + path.sep)) {
      problems.push(`${where}: The file must be inside the pack folder.`);
      continue;
    }
    let bytes: Buffer;
    try {
      bytes = await readFile(absolutePath);
    } catch {
      problems.push(`${where}: File ${m.record.file} not found in the pack folder.`);
      continue;
    }
    if (bytes.byteLength !== m.record.byteSize) {
      problems.push(
        `${m.file}: ${m.path}.byteSize: ${m.record.file} has ${bytes.byteLength} bytes, not ${m.record.byteSize}.`,
      );
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (sha256 !== m.record.sha256) {
      problems.push(`${m.file}: ${m.path}.sha256: ${m.record.file} has digest ${sha256}, not ${m.record.sha256}.`);
    }
    loaded.push({ ...m.record, absolutePath });
  }
  return { problems, loaded };
}

export async function loadContentPack(dir: string): Promise<LoadedPack> {
  const files = (await readdir(dir, { withFileTypes: true }))
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
    .map((entry) => entry.name)
    .sort();
  if (files.length === 0) throw new ContentPackError([`${dir}: No *.json files in the content pack folder.`]);

  const all = await parseFiles(dir, files);
  const problems = checkReferences(all);
  const materials = await checkMaterialFiles(dir, all.materials);
  problems.push(...materials.problems);
  if (problems.length > 0) throw new ContentPackError(problems);

  const records = <K extends CollectionKey>(key: K): RecordOf<K>[] =>
    (all[key] as Located<RecordOf<K>>[]).map((item) => item.record);
  return {
    dir: path.resolve(dir),
    files,
    workshops: records('workshops'),
    agendaSessions: records('agendaSessions'),
    materials: materials.loaded,
    toolSummaries: records('toolSummaries'),
    participants: records('participants'),
    roster: records('roster'),
    followUpActions: records('followUpActions'),
    surveyResponses: records('surveyResponses'),
    evaluations: records('evaluations'),
  };
}
