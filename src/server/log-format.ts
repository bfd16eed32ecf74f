/**
 * The log as a person reads it on a terminal: one short line per entry
 * (time, level, message, the request's method, URL, status and duration, a
 * security event's name) instead of pino's JSON, and the demo's one-off
 * password and enrolment code framed so they stand out among request lines.
 * main.ts uses it only when standard output is a terminal; anywhere else
 * (a container, a file, a log shipper) the lines stay JSON.
 */

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

interface LogLine {
  level?: number;
  time?: number;
  msg?: string;
  /** Set on the lines a newcomer must see: the demo coordinator's password and the demo enrolment code. */
  demo?: boolean;
  event?: string;
  req?: { method?: string; url?: string };
  res?: { statusCode?: number };
  responseTime?: number;
  err?: { message?: string; stack?: string };
}

const style = (colour: boolean, code: string, text: string) => (colour ? `\x1b[${code}m${text}\x1b[0m` : text);

/** One pino JSON line as text; a line that is not JSON is passed through as it is. */
export function formatLogLine(json: string, colour: boolean): string {
  let entry: LogLine;
  try {
    entry = JSON.parse(json) as LogLine;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
  const time = new Date(entry.time ?? Date.now()).toISOString().slice(11, 19);
  const level = LEVELS[entry.level ?? 30] ?? String(entry.level);
  if (entry.demo) {
    const rule = '='.repeat(Math.min(100, (entry.msg ?? '').length + 4));
    return `\n${style(colour, '1;33', `${rule}\n  ${entry.msg ?? ''}\n${rule}`)}\n\n`;
  }
  const parts = [entry.msg ?? ''];
  if (entry.req?.method) parts.push(`${entry.req.method} ${entry.req.url ?? ''}`);
  if (entry.res?.statusCode !== undefined) parts.push(String(entry.res.statusCode));
  if (entry.responseTime !== undefined) parts.push(`${Math.round(entry.responseTime)} ms`);
  if (entry.err?.stack ?? entry.err?.message) parts.push(`\n${entry.err.stack ?? entry.err.message}`);
  const levelText = level.padEnd(5);
  const coloured =
    (entry.level ?? 30) >= 50
      ? style(colour, '31', levelText)
      : (entry.level ?? 30) >= 40
        ? style(colour, '33', levelText)
        : style(colour, '2', levelText);
  return `${time} ${coloured} ${parts.filter(Boolean).join('  ')}\n`;
}

/** A pino destination that writes each line formatted for a person. */
export function humanLog(out: NodeJS.WriteStream): { write(line: string): void } {
  const colour = out.hasColors?.() ?? false;
  return { write: (line) => void out.write(formatLogLine(line, colour)) };
}
