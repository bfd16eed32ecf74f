/**
 * Building blocks shared by every record schema: ids, dates, languages and
 * the metadata the server stamps on anything that syncs.
 */
import * as z from 'zod';

// In the browser the CSP forbids eval, so zod's probe for compiled validators (`Function('')`) would only
// be refused and reported on every page load; the server keeps the faster compiled validators.
if ('document' in globalThis) z.config({ jitless: true });

/** Client-made record ids: UUIDs (v7 preferred, any version accepted so seeds can use v4). */
export const Id = z.uuid({ error: 'Must be a UUID.' });
export type Id = z.infer<typeof Id>;

/** A calendar date with no time zone, as written on an agenda: 2022-06-14. */
export const IsoDate = z.iso.date({ error: 'Must be a date written as YYYY-MM-DD.' });
export type IsoDate = z.infer<typeof IsoDate>;

/** A wall-clock time in the workshop's own time zone: 09:30. */
export const LocalTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'Must be a time written as HH:MM (24-hour).' });

/** An instant, always UTC with a Z suffix. */
export const Timestamp = z.iso.datetime({ error: 'Must be an ISO 8601 UTC timestamp.' });

/** BCP 47 language tag, kept short: en, fr, pt, fa, tet, pt-BR. */
export const LanguageTag = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, { error: 'Must be a language tag such as en or pt-BR.' });

/** An IANA time-zone name; checked against the runtime's own zone database. */
export const TimeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { error: 'Must be an IANA time zone such as Pacific/Fiji.' },
);

export const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, { error: 'Must be a lowercase hex SHA-256 digest.' });

/** Free text typed by a person: trimmed, bounded so no field can balloon a sync. */
export const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: `At most ${max} characters.` });
export const requiredText = (max: number) =>
  z
    .string()
    .trim()
    .min(1, { error: 'This field is required.' })
    .max(max, { error: `At most ${max} characters.` });

/**
 * Server-stamped metadata on every synced record. `version` is the scope
 * sequence number of the last change: it orders changes by arrival at the
 * server, never by a device clock.
 */
export const SyncMeta = z.object({
  version: z.number().int().nonnegative(),
  updatedAt: Timestamp,
  deleted: z.boolean(),
});
export type SyncMeta = z.infer<typeof SyncMeta>;
