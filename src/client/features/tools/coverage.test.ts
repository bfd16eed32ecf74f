/**
 * "Covered in" on a tool page: workshops naming the tool or with sessions
 * naming it, most recent first, with those sessions in agenda order; drafts,
 * withdrawn records and cancelled sessions left out.
 */
import { describe, expect, it } from 'vitest';
import { coverageOf } from './coverage';

const workshop = (id: string, startDate: string, toolSlugs: string[], extra: object = {}) => ({
  id,
  startDate,
  status: 'published',
  toolSlugs,
  _deleted: false,
  ...extra,
});
const session = (id: string, workshopId: string, date: string, start: string, toolSlugs: string[], extra = {}) => ({
  id,
  workshopId,
  date,
  start,
  status: 'scheduled',
  toolSlugs,
  _deleted: false,
  ...extra,
});

describe('coverageOf', () => {
  const hs2022 = workshop('hs', '2021-11-09', ['harmonized-system-2022']);
  const mtp = workshop('mtp', '2022-04-25', []);
  const valuation = workshop('cv', '2021-09-27', ['customs-valuation']);
  const draft = workshop('draft', '2023-01-01', ['harmonized-system-2022'], { status: 'draft' });
  const withdrawn = workshop('gone', '2023-02-01', ['harmonized-system-2022'], { _deleted: true });
  const sessions = [
    session('late', 'hs', '2021-11-10', '13:45', ['harmonized-system-2022']),
    session('early', 'hs', '2021-11-09', '13:45', ['harmonized-system-2022']),
    session('practice', 'mtp', '2022-04-27', '10:45', ['harmonized-system-2022']),
    session('called-off', 'mtp', '2022-04-28', '09:00', ['harmonized-system-2022'], { status: 'cancelled' }),
    session('removed', 'mtp', '2022-04-28', '10:45', ['harmonized-system-2022'], { _deleted: true }),
    session('other', 'cv', '2021-09-27', '10:30', ['customs-valuation']),
  ];

  it('lists workshops covering the tool, most recent first, with their sessions in agenda order', () => {
    const covered = coverageOf('harmonized-system-2022', [hs2022, mtp, valuation, draft, withdrawn], sessions);
    expect(covered.map((c) => c.workshop.id)).toEqual(['mtp', 'hs']);
    expect(covered[0]!.sessions.map((s) => s.id)).toEqual(['practice']);
    expect(covered[1]!.sessions.map((s) => s.id)).toEqual(['early', 'late']);
  });

  it('counts a workshop that names the tool with no session doing so', () => {
    const covered = coverageOf('customs-valuation', [workshop('cv2', '2022-01-01', ['customs-valuation'])], []);
    expect(covered).toEqual([{ workshop: expect.objectContaining({ id: 'cv2' }), sessions: [] }]);
  });

  it('is empty for a tool nobody covers', () => {
    expect(coverageOf('clikc', [hs2022, mtp, valuation], sessions)).toEqual([]);
  });
});
