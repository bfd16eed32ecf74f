/**
 * The two iCalendar (RFC 5545) text rules that calendar libraries commonly
 * get wrong, applied to what the `ics` package writes:
 *
 * - §3.1: content lines are folded at 75 OCTETS, not characters. Tongan,
 *   Persian or French text has multi-byte characters, so a line folded at 75
 *   characters can be 150 octets long; strict readers refuse or truncate it.
 *   A fold never splits a UTF-8 sequence (nor a surrogate pair).
 * - §3.3.11: TEXT values escape backslash, semicolon and comma, and write a
 *   line break as \n. The package leaves X-WR-CALNAME unescaped, so callers
 *   escape it with `escapeIcsText` before handing it over.
 */

const MAX_OCTETS = 75;
const encoder = new TextEncoder();

/** A TEXT value with `\`, `;`, `,` and line breaks escaped (RFC 5545 §3.3.11). */
export function escapeIcsText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** Undoes folding: a CRLF followed by one space or tab joins the two lines (§3.1). */
export function unfoldIcs(text: string): string[] {
  return text
    .replace(/\r\n[ \t]/g, '')
    .split('\r\n')
    .filter((line, i, all) => line.length > 0 || i < all.length - 1);
}

/** One logical line as physical lines of at most 75 octets; continuation lines start with a space. */
export function foldIcsLine(line: string): string[] {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  // Iterating a string by code points keeps surrogate pairs together.
  for (const char of line) {
    const size = encoder.encode(char).length;
    const limit = out.length === 0 ? MAX_OCTETS : MAX_OCTETS - 1;
    if (octets + size > limit) {
      out.push(out.length === 0 ? current : ` ${current}`);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  out.push(out.length === 0 ? current : ` ${current}`);
  return out;
}

/** Refolds a whole calendar file so every physical line holds at most 75 octets, with CRLF line ends. */
export function foldIcs(text: string): string {
  return `${unfoldIcs(text).flatMap(foldIcsLine).join('\r\n')}\r\n`;
}
