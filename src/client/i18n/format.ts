/**
 * Dates, times, sizes, counts and language names written the reader's way
 * (Intl), and content of unknown direction kept whole inside a sentence.
 *
 * Agendas are written in the workshop's wall-clock time ("09:30" in Suva),
 * so dates and times are formatted in the workshop's IANA time zone, never
 * the phone's; for online workshops we add the phone's own time beside them,
 * because a participant in Apia joining a Bangkok session needs both.
 */

/**
 * The interface speaks "en" or "pt", but dates and numbers should follow the
 * phone's region: en-GB writes 14/06 and 24-hour times, pt-BR differs from
 * pt-PT. Take the phone's own tag when it is the same language.
 */
export function intlLocale(language: string): string {
  if (language.includes('-') || typeof navigator === 'undefined') return language;
  return navigator.languages.find((tag) => tag.toLowerCase().split('-')[0] === language) ?? language;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Intl formatters are slow to build and the agenda makes hundreds of calls. */
function dateFormat(language: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const locale = intlLocale(language);
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, format);
  }
  return format;
}

/** Milliseconds the zone is ahead of UTC at that instant. */
function zoneOffset(instant: number, timeZone: string): number {
  const parts = dateFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant at which a wall clock in `timeZone` shows `date` `time`. Two
 * passes settle the offset across a daylight-saving change.
 */
export function zonedInstant(date: string, time: string, timeZone: string): Date {
  const [y = 1970, m = 1, d = 1] = date.split('-').map(Number);
  const [hh = 0, mm = 0] = time.split(':').map(Number);
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  let instant = wall - zoneOffset(wall, timeZone);
  const second = wall - zoneOffset(instant, timeZone);
  if (second !== instant) instant = second;
  return new Date(instant);
}

/** "9–11 Nov 2021" in the workshop's own calendar. */
export function formatDateRange(locale: string, startDate: string, endDate: string, timeZone: string): string {
  const format = dateFormat(locale, { timeZone, day: 'numeric', month: 'short', year: 'numeric' });
  // Midday avoids any chance of a date slipping across midnight.
  return format.formatRange(zonedInstant(startDate, '12:00', timeZone), zonedInstant(endDate, '12:00', timeZone));
}

/** "Tuesday 9 November" for an agenda day heading. */
export function formatDay(locale: string, date: string, timeZone: string): string {
  return dateFormat(locale, { timeZone, weekday: 'long', day: 'numeric', month: 'long' }).format(
    zonedInstant(date, '12:00', timeZone),
  );
}

/** "09:30–10:45" on the given zone's clock. */
export function formatTimeRange(locale: string, start: Date, end: Date, timeZone: string): string {
  return dateFormat(locale, { timeZone, hour: '2-digit', minute: '2-digit' }).formatRange(start, end);
}

/** "Fiji Time (GMT+12)", or just the offset where the engine lacks generic names. */
export function formatZoneName(locale: string, timeZone: string, at: Date): string {
  const part = (style: Intl.DateTimeFormatOptions['timeZoneName']): string | undefined =>
    dateFormat(locale, { timeZone, timeZoneName: style })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value;
  const generic = part('longGeneric');
  const offset = part('shortOffset');
  if (generic && offset && generic !== offset) return `${generic} (${offset})`;
  return offset ?? timeZone;
}

export function deviceTimeZone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** "10:42" today, or "3 Mar, 10:42" on another day, in the phone's zone. */
export function formatMoment(locale: string, iso: string, now: Date = new Date()): string {
  const at = new Date(iso);
  const sameDay = at.toDateString() === now.toDateString();
  return dateFormat(
    locale,
    sameDay
      ? { hour: '2-digit', minute: '2-digit' }
      : { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' },
  ).format(at);
}

/** "2.4 MB": decimal units, as phones' storage screens show them. */
export function formatBytes(locale: string, bytes: number): string {
  const units = [
    ['gigabyte', 1e9],
    ['megabyte', 1e6],
    ['kilobyte', 1e3],
  ] as const;
  for (const [unit, size] of units) {
    if (bytes >= size) {
      return new Intl.NumberFormat(intlLocale(locale), {
        style: 'unit',
        unit,
        unitDisplay: 'short',
        maximumFractionDigits: bytes / size < 10 ? 1 : 0,
      }).format(bytes / size);
    }
  }
  return new Intl.NumberFormat(intlLocale(locale), { style: 'unit', unit: 'byte', unitDisplay: 'short' }).format(bytes);
}

const numberFormats = new Map<string, Intl.NumberFormat>();

/** "1,234" / "1 234" / "۱٬۲۳۴": a count written the way the reader's language writes it. */
export function formatNumber(language: string, value: number): string {
  const locale = intlLocale(language);
  let format = numberFormats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
    numberFormats.set(locale, format);
  }
  return format.format(value);
}

/** "French" (in English), "français" (in French) … for a BCP 47 tag. */
export function formatLanguageName(locale: string, tag: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/**
 * Wraps text of unknown direction (an English workshop title in a Persian
 * sentence) in Unicode isolates, so the sentence around it keeps its order.
 * For display only: never store the result.
 */
export function isolate(text: string): string {
  return `\u2068${text}\u2069`;
}

/** "A, B and C" in the reader's language. */
export function formatList(locale: string, items: readonly string[]): string {
  return new Intl.ListFormat(intlLocale(locale), { style: 'long', type: 'conjunction' }).format(items);
}

/** Today's date in a zone, as YYYY-MM-DD, to tell upcoming workshops from past ones. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  return dateFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
