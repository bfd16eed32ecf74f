/**
 * Data for the device-side benchmark (issue #8 point 5), made in Node from a
 * seed so every run moves the same bytes: sync response pages exactly as
 * POST /api/v1/sync answers them (every record parsed with its shared
 * schema, every page with the protocol's SyncResponse), built from the demo
 * content pack's real texts (workshop summaries, agenda titles, speakers,
 * WCO tool summaries, survey answers) and varied with seeded choices.
 *
 * The search corpus is 2,000 documents in the proportions a participant's
 * phone has after a few years of ROCB A/P workshops: 60 workshops, 1,200
 * agenda sessions (20 a workshop), 420 materials (7 a workshop), the 16 WCO
 * tool summaries of the pack, and 304 of the participant's own follow-up
 * notes. The content delta is a separate page of 1,000 new agenda sessions
 * over 50 workshops the phone already holds, and a second page carrying the
 * same 1,000 sessions edited (a new version of each).
 */
import fs from 'node:fs';
import path from 'node:path';
import { v4 as uuidv4 } from 'uuid';
import {
  COLLECTION_SCHEMAS,
  type CollectionName,
  type CollectionRecord,
} from '../../../src/shared/schemas/collections';
import { PROTOCOL_VERSION, SyncResponse, type Change } from '../../../src/shared/sync/protocol';
import { mulberry32 } from '../../support/random';
import { ROOT } from '../server';

interface DemoPack {
  workshops?: CollectionRecord['workshops'][];
  agendaSessions?: CollectionRecord['agendaSessions'][];
  materials?: (CollectionRecord['materials'] & { file?: string })[];
  toolSummaries?: CollectionRecord['toolSummaries'][];
  surveyResponses?: CollectionRecord['surveyResponses'][];
}

function readPack(name: string): DemoPack {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'src/server/content/demo', name), 'utf8')) as DemoPack;
}

export const CORPUS_SHAPE = { workshops: 60, sessions: 1200, materials: 420, tools: 16, notes: 304 } as const;
export const CORPUS_SIZE = Object.values(CORPUS_SHAPE).reduce((a, b) => a + b, 0);
export const DELTA_SESSIONS = 1000;
export const DELTA_WORKSHOPS = 50;

/** Queries a participant types, letter by letter: topics, instruments, places, a speaker, a typo, an unaccented name. */
export const QUERIES = [
  'post clearance audit',
  'valuation',
  'risk management',
  'authorized economic operator',
  'counterfeit medicines',
  'HS 2022 amendments',
  'revised kyoto',
  'e-commerce',
  'Nadi Fiji',
  'Tupou',
  'data analytics',
  'noumea',
  'valuaton',
  'in-house training',
  'SAFE framework',
];

const CITIES: [string, string][] = [
  ['Nadi', 'Fiji'],
  ['Suva', 'Fiji'],
  ['Port Moresby', 'Papua New Guinea'],
  ['Apia', 'Samoa'],
  ['Nuku’alofa', 'Tonga'],
  ['Port Vila', 'Vanuatu'],
  ['Honiara', 'Solomon Islands'],
  ['Dili', 'Timor-Leste'],
  ['Nouméa', 'New Caledonia'],
  ['Bangkok', 'Thailand'],
  ['Colombo', 'Sri Lanka'],
  ['Manila', 'Philippines'],
  ['Hà Nội', 'Viet Nam'],
  ['Kuala Lumpur', 'Malaysia'],
  ['Jakarta', 'Indonesia'],
  ['Ulaanbaatar', 'Mongolia'],
  ['Thimphu', 'Bhutan'],
  ['Malé', 'Maldives'],
  ['Kathmandu', 'Nepal'],
  ['Dhaka', 'Bangladesh'],
  ['Seoul', 'Korea'],
  ['Tokyo', 'Japan'],
  ['Phnom Penh', 'Cambodia'],
  ['Vientiane', 'Lao PDR'],
];

const TIME_ZONES = [
  'Pacific/Fiji',
  'Asia/Bangkok',
  'Asia/Colombo',
  'Asia/Tokyo',
  'Pacific/Port_Moresby',
  'Asia/Manila',
];

const PEOPLE = [
  'Mele Tupou',
  'Siosaia Fifita',
  'Ratu Josefa Vakacegu',
  'Losana Naivalu',
  'Tevita Fonua',
  'Aiko Tanaka',
  'Hiroshi Sato',
  'Nguyễn Thị Lan',
  'Trần Văn Minh',
  'Somchai Rattanakorn',
  'Ploy Chaiyaporn',
  'Hélène Dubois',
  'Jean-Marc Lefèvre',
  'Kim Min-jun',
  'Park Ji-woo',
  'Priya Ramanathan',
  'Dilshan Perera',
  'Maria Santos',
  'José Reyes',
  'Bat-Erdene Ganbold',
  'Sonam Wangchuk',
  'Aminath Shareef',
  'Ahmed Rahman',
  'Sopheap Chan',
  'Ana Guterres',
  'John Kaupa',
  'Grace Waigani',
  'Faamoe Leota',
  'Lydia Kalsakau',
  'Peter Tahu',
];

const ORG_SPEAKERS = [
  'WCO Secretariat',
  'ROCB A/P',
  'WCO expert',
  'Japan Customs expert',
  'Korea Customs Service',
  'OCO Secretariat',
  'WCO Accredited Customs Expert',
  'Country delegates',
  'Thai Customs Department',
  'JICA',
];

const ROOMS = [
  'Plenary room',
  'Online (video conference)',
  'Breakout room 1',
  'Breakout room 2',
  'Training room A',
  '',
];

const SESSION_PATTERNS = [
  (t: string) => `${t}: concepts and international standards`,
  (t: string) => `${t}: the experience of ${'%country%'}`,
  (t: string) => `Case study on ${t.toLowerCase()}`,
  (t: string) => `Group exercise: applying ${t.toLowerCase()} at the border`,
  (t: string) => `Panel discussion: challenges in ${t.toLowerCase()}`,
  (t: string) => `${t} and risk management`,
  (t: string) => `Country presentations on ${t.toLowerCase()}`,
  (t: string) => `Action planning for ${t.toLowerCase()}`,
];

const MATERIAL_PATTERNS = [
  (t: string) => `${t}: presentation slides`,
  (t: string) => `${t} handbook (extract)`,
  (t: string) => `Country report on ${t.toLowerCase()} (%country%)`,
  (t: string) => `Exercise workbook: ${t.toLowerCase()}`,
  (t: string) => `Reading list on ${t.toLowerCase()}`,
  (t: string) => `Workshop summary and action plan template (${t})`,
  (t: string) => `${t}: WCO guidance notes`,
];

const NOTE_AUDIENCES = [
  'PCA unit',
  'Risk management team',
  'Deputy Commissioner',
  'Border operations',
  'Training academy',
];

export interface DeviceFixtures {
  identity: {
    key: 'device';
    deviceId: string;
    deviceToken: string;
    participantId: string;
    workshopIds: string[];
    enrolledAt: string;
  };
  /** One page with the 2,000 searchable records. */
  corpusPage: string;
  /** The 50 workshops the delta's sessions belong to: what the phone holds before the delta. */
  deltaBasePage: string;
  /** 1,000 new agenda sessions. */
  deltaPage: string;
  /** The same 1,000 sessions edited: a new version of each. */
  deltaUpdatePage: string;
  queries: string[];
  counts: Record<string, number>;
  /** JSON bytes of the delta page, for the table. */
  deltaBytes: number;
}

function sentences(text: string): string[] {
  return text
    .replace(/\*\*/g, '')
    .split(/(?<=[.!?])\s+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 30 && s.length < 400 && !/^Source:|sample|invented|demo/i.test(s));
}

export function makeFixtures(seed = 2026): DeviceFixtures {
  const rand = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const id = () => {
    const random = new Uint8Array(16);
    for (let b = 0; b < 16; b++) random[b] = Math.floor(rand() * 256);
    return uuidv4({ random });
  };
  const sha = () => Array.from({ length: 64 }, () => '0123456789abcdef'[Math.floor(rand() * 16)]).join('');

  const survey = readPack('survey-2020-21.json');
  const current = readPack('workshops-2021-22.json');
  const toolPack = readPack('tools.json');
  const demoWorkshops = [...(survey.workshops ?? []), ...(current.workshops ?? [])];
  const tools = toolPack.toolSummaries ?? [];
  const topics = [...new Set(demoWorkshops.map((w) => w.topic))];
  const pool = [
    ...demoWorkshops.flatMap((w) => sentences(w.summary ?? '')),
    ...tools.flatMap((t) => sentences(t.body)),
  ];
  const answers = (survey.surveyResponses ?? [])
    .flatMap((r) => [
      r.directEffects?.details,
      r.workEfficiency?.details,
      r.newProjects?.details,
      r.otherActions,
      r.lessonsApplied?.operationalImprovement,
      r.lessonsApplied?.strategicEmpowerment,
    ])
    .filter((s): s is string => typeof s === 'string' && s.length > 10 && !/invented/i.test(s));
  const demoSessionTitles = (current.agendaSessions ?? []).map((s) => s.title);
  const paragraph = (min: number, max: number) => {
    const want = int(min, max);
    const out: string[] = [];
    while (out.join(' ').length < want) out.push(pick(pool));
    return out.join(' ').slice(0, 3900);
  };
  const date = (year: number) =>
    `${year}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 26)).padStart(2, '0')}`;
  const nextDay = (d: string, n: number) => {
    const t = new Date(`${d}T00:00:00Z`);
    t.setUTCDate(t.getUTCDate() + n);
    return t.toISOString().slice(0, 10);
  };

  // Workshops: the pack's 19 with their real summaries, and 41 more in the same style.
  const workshops: CollectionRecord['workshops'][] = demoWorkshops.map((w) =>
    COLLECTION_SCHEMAS.workshops.parse({ ...w, status: 'published' }),
  );
  const kinds = ['regional', 'sub-regional', 'national', 'working-group'] as const;
  while (workshops.length < CORPUS_SHAPE.workshops + DELTA_WORKSHOPS) {
    const topic = pick(topics);
    const [city, country] = pick(CITIES);
    const kind = pick(kinds);
    const mode = pick(['in-person', 'in-person', 'online', 'hybrid'] as const);
    const start = date(int(2019, 2026));
    const label =
      kind === 'working-group' ? 'Working Group on' : `${kind[0]!.toUpperCase()}${kind.slice(1)} Workshop on`;
    workshops.push(
      COLLECTION_SCHEMAS.workshops.parse({
        id: id(),
        title: `WCO ${label} ${topic}${mode === 'online' ? '' : ` (${city}, ${country})`}`,
        kind,
        topic,
        summary: paragraph(300, 900),
        startDate: start,
        endDate: nextDay(start, int(1, 4)),
        timeZone: pick(TIME_ZONES),
        mode,
        venue: mode === 'online' ? null : { city, country },
        organisers: ['World Customs Organization (WCO)', 'ROCB A/P'],
        sponsor: rand() < 0.4 ? pick(['CCF/Japan', 'CCF/Korea', 'JICA', 'CCF/China']) : null,
        administrations: [],
        status: 'published',
      }),
    );
  }
  const corpusWorkshops = workshops.slice(0, CORPUS_SHAPE.workshops);
  const deltaWorkshops = workshops.slice(CORPUS_SHAPE.workshops);

  const makeSession = (w: CollectionRecord['workshops'], n: number): CollectionRecord['agendaSessions'] => {
    const country = pick(CITIES)[1];
    const title =
      rand() < 0.3 ? pick(demoSessionTitles) : pick(SESSION_PATTERNS)(w.topic).replace('%country%', country);
    const hour = 8 + (n % 9);
    const speakers = [pick(ORG_SPEAKERS), ...Array.from({ length: int(0, 2) }, () => pick(PEOPLE))];
    return COLLECTION_SCHEMAS.agendaSessions.parse({
      id: id(),
      workshopId: w.id,
      date: nextDay(w.startDate, n % 3),
      start: `${String(hour).padStart(2, '0')}:00`,
      end: `${String(hour).padStart(2, '0')}:45`,
      title,
      description: rand() < 0.15 ? '' : paragraph(60, 350),
      speakers: [...new Set(speakers)],
      room: w.mode === 'online' ? 'Online (video conference)' : pick(ROOMS),
      status: rand() < 0.03 ? 'cancelled' : 'scheduled',
    });
  };

  const demoSessions = (current.agendaSessions ?? []).map((s) => COLLECTION_SCHEMAS.agendaSessions.parse(s));
  const sessions: CollectionRecord['agendaSessions'][] = [...demoSessions];
  const withoutDemoAgenda = corpusWorkshops.filter((w) => !demoSessions.some((s) => s.workshopId === w.id));
  for (let i = 0; sessions.length < CORPUS_SHAPE.sessions; i++) {
    const w = withoutDemoAgenda[i % withoutDemoAgenda.length]!;
    sessions.push(makeSession(w, Math.floor(i / withoutDemoAgenda.length)));
  }

  const materials: CollectionRecord['materials'][] = (current.materials ?? []).map(({ file: _file, ...m }) =>
    COLLECTION_SCHEMAS.materials.parse(m),
  );
  for (let i = 0; materials.length < CORPUS_SHAPE.materials; i++) {
    const w = corpusWorkshops[i % corpusWorkshops.length]!;
    materials.push(
      COLLECTION_SCHEMAS.materials.parse({
        id: id(),
        workshopId: w.id,
        title: pick(MATERIAL_PATTERNS)(w.topic).replace('%country%', pick(CITIES)[1]),
        language: rand() < 0.85 ? 'en' : 'fr',
        mediaType: rand() < 0.8 ? 'application/pdf' : 'application/vnd.ms-powerpoint',
        byteSize: int(80_000, 6_000_000),
        sha256: sha(),
        version: 1,
        audience: rand() < 0.3 ? 'participants' : 'public',
      }),
    );
  }

  const toolRecords = tools.slice(0, CORPUS_SHAPE.tools).map((t) => COLLECTION_SCHEMAS.toolSummaries.parse(t));

  const participantId = id();
  const notes: CollectionRecord['followUpActions'][] = [];
  const noteKinds = ['share-materials', 'submit-report', 'make-recommendations', 'in-house-workshop', 'other'] as const;
  while (notes.length < CORPUS_SHAPE.notes) {
    const w = pick(corpusWorkshops);
    const kind = pick(noteKinds);
    const description =
      rand() < 0.5 ? pick(answers) : `${pick(answers)} ${rand() < 0.5 ? pick(pool) : ''}`.trim().slice(0, 1900);
    notes.push(
      COLLECTION_SCHEMAS.followUpActions.parse({
        id: id(),
        participantId,
        workshopId: w.id,
        kind,
        date: nextDay(w.endDate, int(5, 180)),
        description,
        audience: pick(NOTE_AUDIENCES),
        channel: kind === 'share-materials' ? pick(['intranet', 'email', 'meeting', 'printed'] as const) : null,
        attendees: kind === 'in-house-workshop' ? int(5, 40) : null,
      }),
    );
  }

  let version = 1;
  const stamp = '2026-11-20T09:00:00.000Z';
  const scopeOf = (collection: CollectionName, record: { workshopId?: string }): Change['scope'] => {
    if (collection === 'workshops' || collection === 'toolSummaries') return 'catalog';
    if (collection === 'followUpActions') return `p:${participantId}`;
    return `w:${record.workshopId!}`;
  };
  const change = <C extends CollectionName>(collection: C, record: CollectionRecord[C], v = version++): Change => ({
    collection,
    id: (record as { id: string }).id,
    scope: scopeOf(collection, record as { workshopId?: string }),
    version: v,
    updatedAt: stamp,
    deleted: false,
    data: record as unknown as Record<string, unknown>,
  });
  const page = (changes: Change[]): string => {
    const cursors: Record<string, number> = {};
    for (const c of changes) cursors[c.scope] = Math.max(cursors[c.scope] ?? 0, c.version);
    const body = SyncResponse.parse({
      protocol: PROTOCOL_VERSION,
      epoch: 'bench-epoch-1',
      lastMid: 0,
      results: [],
      changes,
      cursors,
      hasMore: false,
      reset: false,
      gap: false,
      serverTime: stamp,
    });
    return JSON.stringify(body);
  };

  const corpusPage = page([
    ...corpusWorkshops.map((w) => change('workshops', w)),
    ...toolRecords.map((t) => change('toolSummaries', t)),
    ...sessions.map((s) => change('agendaSessions', s)),
    ...materials.map((m) => change('materials', m)),
    ...notes.map((n) => change('followUpActions', n)),
  ]);

  const deltaSessions: CollectionRecord['agendaSessions'][] = [];
  for (let i = 0; deltaSessions.length < DELTA_SESSIONS; i++) {
    deltaSessions.push(makeSession(deltaWorkshops[i % deltaWorkshops.length]!, Math.floor(i / deltaWorkshops.length)));
  }
  const deltaBasePage = page(deltaWorkshops.map((w) => change('workshops', w)));
  const deltaChanges = deltaSessions.map((s) => change('agendaSessions', s));
  const deltaPage = page(deltaChanges);
  const deltaUpdatePage = page(
    deltaSessions.map((s, i) =>
      change(
        'agendaSessions',
        COLLECTION_SCHEMAS.agendaSessions.parse({
          ...s,
          room: i % 2 ? 'Plenary room' : 'Training room B',
          start: s.start,
          description: `${s.description} Updated after the programme was confirmed.`.trim().slice(0, 4000),
        }),
        deltaChanges[i]!.version + DELTA_SESSIONS,
      ),
    ),
  );

  return {
    identity: {
      key: 'device',
      deviceId: id(),
      deviceToken: `vd_${id()}${id()}`.replace(/-/g, ''),
      participantId,
      workshopIds: corpusWorkshops.slice(0, 3).map((w) => w.id),
      enrolledAt: stamp,
    },
    corpusPage,
    deltaBasePage,
    deltaPage,
    deltaUpdatePage,
    queries: QUERIES,
    counts: {
      workshops: corpusWorkshops.length,
      sessions: sessions.length,
      materials: materials.length,
      tools: toolRecords.length,
      notes: notes.length,
    },
    deltaBytes: Buffer.byteLength(deltaPage),
  };
}
