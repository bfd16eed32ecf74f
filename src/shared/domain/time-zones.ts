/**
 * Calendar and time-zone arithmetic on plain ISO dates and IANA zones,
 * using only Intl (no zone database shipped). Workshops keep dates in their
 * own zone: "the survey opens on 14 December" means midnight in Suva, not
 * on the server or the phone; a session is then shown on the phone's clock
 * as well when the two differ. Pure (formatters are cached, not state).
 */

/** Building an Intl formatter costs far more than using one, and an agenda asks hundreds of times a render. */
function cached(cache: Map<string, Intl.DateTimeFormat>, zone: string, make: () => Intl.DateTimeFormat) {
  let format = cache.get(zone);
  if (!format) {
    format = make();
    cache.set(zone, format);
  }
  return format;
}

const wallClocks = new Map<string, Intl.DateTimeFormat>();
const calendarDates = new Map<string, Intl.DateTimeFormat>();

/** Offset of `zone` from UTC at `instant`, in minutes (Pacific/Fiji in winter: +720). */
export function zoneOffsetMinutes(zone: string, instant: Date): number {
  const parts = cached(
    wallClocks,
    zone,
    () =>
      new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      }),
  ).formatToParts(instant);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60000);
}

/** The instant at which the wall clock in `zone` shows `date` `time` (for a gap at a DST change, the later side). */
export function zonedInstant(date: string, time: string, zone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const guess = Date.UTC(y, m - 1, d, hh, mm);
  const first = zoneOffsetMinutes(zone, new Date(guess));
  const second = zoneOffsetMinutes(zone, new Date(guess - first * 60000));
  return new Date(guess - second * 60000);
}

/** The calendar date an instant falls on in `zone`. */
export function dateInZone(instant: Date, zone: string): string {
  return cached(
    calendarDates,
    zone,
    () => new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }),
  ).format(instant);
}

/** Adds calendar months, clamping to the last day of a shorter month (31 Aug + 6 months = 28/29 Feb). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return target.toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (both ISO dates). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The same session seen on another clock: the phone's, when it is not in the workshop's zone. */
export interface OtherClock {
  start: Date;
  end: Date;
  /** The session starts or ends on another calendar day there (Bangkok 07:00 is the day before in Honolulu). */
  otherDay: boolean;
}

/**
 * A session written on the workshop's wall clock as it falls on `otherZone`'s
 * clock; null when both clocks read the same at its start and end (Bangkok
 * and Ho Chi Minh City), so the agenda does not repeat identical times.
 */
export function onOtherClock(
  session: { date: string; start: string; end: string },
  workshopZone: string,
  otherZone: string,
): OtherClock | null {
  const start = zonedInstant(session.date, session.start, workshopZone);
  const end = zonedInstant(session.date, session.end, workshopZone);
  const same = (at: Date) => zoneOffsetMinutes(workshopZone, at) === zoneOffsetMinutes(otherZone, at);
  if (same(start) && same(end)) return null;
  return {
    start,
    end,
    otherDay: dateInZone(start, otherZone) !== session.date || dateInZone(end, otherZone) !== session.date,
  };
}
