/**
 * RFC 5545 folding and escaping, checked by octets and by reading the result
 * back with an independent parser (ical.js, Mozilla's).
 */
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { escapeIcsText, foldIcs, foldIcsLine, unfoldIcs } from './icalendar';

const octets = (line: string) => new TextEncoder().encode(line).length;

describe('foldIcsLine', () => {
  it('keeps a short line as it is', () => {
    expect(foldIcsLine('SUMMARY:Hello')).toEqual(['SUMMARY:Hello']);
  });

  it.each([
    ['Tongan', 'SUMMARY:Fakataha ʻo e ngāue fakapuleʻanga ki he tukuhau mo e kasitomu ʻi Tonga mo Fisi ʻi he taʻu ni'],
    ['Persian', 'SUMMARY:کارگاه منطقه‌ای مدیریت ریسک گمرکی و تسهیل تجارت برای کشورهای آسیا و اقیانوسیه'],
    ['emoji', `DESCRIPTION:${'🌺'.repeat(40)}`],
  ])('folds %s text at 75 octets without splitting a character', (_name, line) => {
    const folded = foldIcsLine(line);
    expect(folded.length).toBeGreaterThan(1);
    for (const physical of folded) expect(octets(physical)).toBeLessThanOrEqual(75);
    for (const physical of folded.slice(1)) expect(physical.startsWith(' ')).toBe(true);
    expect(folded.map((p, i) => (i === 0 ? p : p.slice(1))).join('')).toBe(line);
    expect(folded.join('')).not.toContain('\uFFFD');
  });
});

describe('escapeIcsText', () => {
  it('escapes backslash, semicolon, comma and line breaks', () => {
    expect(escapeIcsText('a\\b;c,d\ne')).toBe('a\\\\b\\;c\\,d\\ne');
  });
});

describe('foldIcs', () => {
  const name = 'Atelier régional, Suva; 2026 — ʻOku mau talitali lelei kimoutolu ki he fakataha ko ʻeni';
  const calendar = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Vaka//Test//EN',
    `X-WR-CALNAME:${escapeIcsText(name)}`,
    'BEGIN:VEVENT',
    'UID:1@vaka',
    'DTSTAMP:20261204T000000Z',
    'DTSTART:20261204T010000Z',
    `SUMMARY:${escapeIcsText('مدیریت ریسک، ارزیابی و پیگیری; '.repeat(4))}`,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');

  it('refolds every line within 75 octets with CRLF endings, and unfolds to the same lines', () => {
    const folded = foldIcs(calendar);
    const lines = folded.split('\r\n');
    expect(lines.at(-1)).toBe('');
    for (const line of lines) expect(octets(line)).toBeLessThanOrEqual(75);
    expect(unfoldIcs(folded)).toEqual(unfoldIcs(calendar));
  });

  it('reads back with an independent parser, text values intact', () => {
    // X-WR-CALNAME is a TEXT value by convention (Apple's); an unknown X- property is raw to the parser.
    ICAL.design.defaultSet.property['x-wr-calname'] = { defaultType: 'text' };
    const component = new ICAL.Component(ICAL.parse(foldIcs(calendar)));
    expect(component.getFirstPropertyValue('x-wr-calname')).toBe(name);
    const event = component.getFirstSubcomponent('vevent');
    expect(event?.getFirstPropertyValue('summary')).toBe('مدیریت ریسک، ارزیابی و پیگیری; '.repeat(4));
  });
});
