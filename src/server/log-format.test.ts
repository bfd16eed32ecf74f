/**
 * The terminal log: a request line reads as time, level, method, URL,
 * status and duration; the demo's password line is framed on lines of its
 * own; anything not JSON passes through.
 */
import { describe, expect, it } from 'vitest';
import { formatLogLine } from './log-format';

const at = Date.parse('2026-12-04T09:15:02Z');

describe('log lines for a person', () => {
  it('writes a request as one short line', () => {
    const line = JSON.stringify({
      level: 30,
      time: at,
      msg: 'request completed',
      req: { method: 'GET', url: '/api/health' },
      res: { statusCode: 200 },
      responseTime: 3.4,
    });
    expect(formatLogLine(line, false)).toBe('09:15:02 INFO  request completed  GET /api/health  200  3 ms\n');
  });

  it('frames the demo lines so they stand out, in colour on a colour terminal', () => {
    const line = JSON.stringify({ level: 30, time: at, demo: true, msg: 'Demo coordinator: a@b / secret' });
    const plain = formatLogLine(line, false);
    expect(plain.split('\n')).toEqual(['', '='.repeat(34), '  Demo coordinator: a@b / secret', '='.repeat(34), '', '']);
    expect(formatLogLine(line, true)).toContain('\x1b[1;33m');
  });

  it('passes through a line that is not JSON', () => {
    expect(formatLogLine('plain text', false)).toBe('plain text\n');
  });
});
