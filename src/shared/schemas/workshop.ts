/**
 * Published content: workshops, their agenda sessions, training materials and
 * the short summaries of WCO instruments and tools. Coordinators write these;
 * every device may read them (except participants-only materials). Links
 * between them (a session's materials, the tools a workshop covers) default
 * to empty so records and packs written before the links existed stay valid.
 */
import * as z from 'zod';
import { Id, IsoDate, LanguageTag, LocalTime, Sha256, TimeZone, requiredText, text } from './common';
import { MemberCode } from './member';

export const WorkshopKind = z.enum(['regional', 'sub-regional', 'national', 'working-group']);
export type WorkshopKind = z.infer<typeof WorkshopKind>;

export const WorkshopMode = z.enum(['in-person', 'online', 'hybrid']);
export type WorkshopMode = z.infer<typeof WorkshopMode>;

/** The address of a tool summary (/tools/<slug>), by which workshops and sessions name the tools they cover. */
export const ToolSlug = z.string().regex(/^[a-z0-9-]+$/, { error: 'Use lowercase letters, digits and dashes.' });

/** A list naming each item once: a repeated tool or session is a typo, not a stronger link. */
const distinct = <T extends z.ZodType<string>>(item: T, max: number, what: string) =>
  z
    .array(item)
    .max(max, { error: `At most ${max} ${what}.` })
    .refine((list) => new Set(list).size === list.length, { error: `Name each of the ${what} only once.` })
    .default([]);

/** WCO tool summaries a workshop or session covers, shown as links both ways. */
const ToolSlugs = distinct(ToolSlug.max(200, { error: 'At most 200 characters.' }), 20, 'tools');

export const PublicationStatus = z.enum(['draft', 'published']);

/** Translated overrides of the displayed text; the base fields are in English. */
export const WorkshopTranslation = z.object({
  title: text(300).optional(),
  summary: text(4000).optional(),
});

export const Venue = z.object({
  name: text(200).optional(),
  city: requiredText(120),
  country: requiredText(120),
});

export const Workshop = z
  .object({
    id: Id,
    title: requiredText(300),
    kind: WorkshopKind,
    topic: requiredText(120),
    summary: text(4000).default(''),
    startDate: IsoDate,
    endDate: IsoDate,
    timeZone: TimeZone,
    mode: WorkshopMode,
    /** Null for online-only workshops. */
    venue: Venue.nullable(),
    organisers: z.array(requiredText(200)).min(1, { error: 'Name at least one organiser.' }).max(20),
    sponsor: text(200).nullable().default(null),
    administrations: z.array(MemberCode).max(60).default([]),
    /** Months after the last day when the follow-up survey opens (the office uses 6). */
    surveyOpensAfterMonths: z.number().int().min(0).max(36).default(6),
    /** Days the survey stays open before it is due (the office collects replies in 3 weeks). */
    surveyDueAfterDays: z.number().int().min(1).max(365).default(21),
    status: PublicationStatus.default('published'),
    translations: z.record(LanguageTag, WorkshopTranslation).default({}),
    toolSlugs: ToolSlugs,
  })
  .refine((w) => w.endDate >= w.startDate, { error: 'The last day cannot be before the first day.', path: ['endDate'] })
  .refine((w) => w.mode === 'online' || w.venue !== null, {
    error: 'An in-person or hybrid workshop needs a venue.',
    path: ['venue'],
  });
export type Workshop = z.infer<typeof Workshop>;

export const SessionStatus = z.enum(['scheduled', 'cancelled']);

export const AgendaSession = z
  .object({
    id: Id,
    workshopId: Id,
    date: IsoDate,
    start: LocalTime,
    end: LocalTime,
    title: requiredText(300),
    description: text(4000).default(''),
    speakers: z.array(requiredText(200)).max(20).default([]),
    room: text(120).default(''),
    status: SessionStatus.default('scheduled'),
    /**
     * Where participants join an online or hybrid workshop's session. Only
     * https: meeting links often carry their passcode, and hotel Wi-Fi is
     * shared. Whether the workshop is online is checked where both records are
     * known (the content-pack loader, the coordinator's form).
     */
    joinUrl: z
      .url({
        protocol: /^https$/,
        hostname: z.regexes.domain,
        error: 'Must be an https link to join the session online.',
      })
      .max(2000, { error: 'At most 2000 characters.' })
      .nullable()
      .default(null),
    toolSlugs: ToolSlugs,
    /** Demo agendas are plausible but invented; the UI labels them. */
    sample: z.boolean().default(false),
  })
  // Compared only when both are well-formed, so a typo yields one message, not two.
  .refine((s) => !LocalTime.safeParse(s.start).success || !LocalTime.safeParse(s.end).success || s.end > s.start, {
    error: 'A session must end after it starts.',
    path: ['end'],
  });
export type AgendaSession = z.infer<typeof AgendaSession>;

export const MaterialAudience = z.enum(['public', 'participants']);

export const Material = z.object({
  id: Id,
  workshopId: Id,
  title: requiredText(300),
  language: LanguageTag,
  mediaType: z.string().regex(/^[a-z]+\/[a-z0-9.+-]+$/, { error: 'Must be a media type such as application/pdf.' }),
  byteSize: z
    .number()
    .int()
    .positive()
    .max(512 * 1024 * 1024),
  sha256: Sha256,
  /** Grows by one each time a coordinator replaces the file. */
  version: z.number().int().positive(),
  audience: MaterialAudience.default('public'),
  /** The agenda sessions this material serves (slides of one talk, a workbook used in two exercises). */
  sessionIds: distinct(Id, 100, 'sessions'),
  sample: z.boolean().default(false),
});
export type Material = z.infer<typeof Material>;

export const ToolSummary = z.object({
  id: Id,
  slug: ToolSlug,
  title: requiredText(200),
  /** Markdown, rendered without raw HTML. */
  body: requiredText(20000),
  officialUrl: z.url({ protocol: /^https$/, error: 'Must be an https link to the official source.' }),
  tags: z.array(requiredText(60)).max(20).default([]),
  translations: z
    .record(LanguageTag, z.object({ title: text(200).optional(), body: text(20000).optional() }))
    .default({}),
});
export type ToolSummary = z.infer<typeof ToolSummary>;
