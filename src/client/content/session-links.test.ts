/**
 * Session links: join links only for online and hybrid workshops, a
 * material listed under every session it serves, tools in the order named
 * and only when on the phone, and a workshop's tools gathered from its
 * sessions.
 */
import { describe, expect, it } from 'vitest';
import { joinLinkOf, materialsBySession, toolsNamed, workshopToolSlugs } from './session-links';

describe('session links', () => {
  it('shows a join link for online and hybrid workshops only', () => {
    const session = { joinUrl: 'https://example.org/join/1' };
    expect(joinLinkOf({ mode: 'online' }, session)).toBe('https://example.org/join/1');
    expect(joinLinkOf({ mode: 'hybrid' }, session)).toBe('https://example.org/join/1');
    expect(joinLinkOf({ mode: 'in-person' }, session)).toBeNull();
    expect(joinLinkOf({ mode: 'online' }, { joinUrl: null })).toBeNull();
  });

  it('lists a material under each session it serves', () => {
    const slides = { id: 'm1', sessionIds: ['s1'] };
    const workbook = { id: 'm2', sessionIds: ['s1', 's2'] };
    const loose = { id: 'm3', sessionIds: [] };
    const map = materialsBySession([slides, workbook, loose]);
    expect(map.get('s1')).toEqual([slides, workbook]);
    expect(map.get('s2')).toEqual([workbook]);
    expect(map.size).toBe(2);
  });

  it('names tools in the order given, leaving out those not on the phone', () => {
    const bySlug = new Map([
      ['customs-valuation', { title: 'Customs Valuation' }],
      ['harmonized-system-2022', { title: 'HS 2022' }],
    ]);
    expect(toolsNamed(['harmonized-system-2022', 'not-synced-yet', 'customs-valuation'], bySlug)).toEqual([
      { title: 'HS 2022' },
      { title: 'Customs Valuation' },
    ]);
  });

  it('gathers a workshop’s tools: its own first, then its sessions’, once each, not from cancelled sessions', () => {
    expect(
      workshopToolSlugs({ toolSlugs: ['customs-valuation'] }, [
        { toolSlugs: ['harmonized-system-2022', 'customs-valuation'], status: 'scheduled' },
        { toolSlugs: ['clikc'], status: 'cancelled' },
        { toolSlugs: ['risk-management-compendium'], status: 'scheduled' },
      ]),
    ).toEqual(['customs-valuation', 'harmonized-system-2022', 'risk-management-compendium']);
  });
});
