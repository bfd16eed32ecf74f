/**
 * The fault harness in CI (issue #9): 1,000 injected faults on SQLite —
 * dropped requests and answers, duplicates, delays, server SIGKILLs and
 * device reloads mid-sync — then every invariant of history.ts must hold.
 * The seed is printed; rerun one with JEPSEN_SEED=<seed>, change the budget
 * with JEPSEN_FAULTS, keep a failing run's history with JEPSEN_DUMP=<file>.
 * A seed that fails goes into regressions/seeds.ts and is replayed by name
 * (regressions/seeds.test.ts). The larger run on both databases is
 * `npm run bench` (test/bench/faults.ts).
 */
import { describe, expect, it } from 'vitest';
import { runJepsen, summarize } from './jepsen';

describe('fault harness (Jepsen-style)', () => {
  const seed = Number(process.env.JEPSEN_SEED ?? Date.now() % 1_000_000);
  const faults = Number(process.env.JEPSEN_FAULTS ?? 1000);

  it(`on SQLite: nothing acknowledged is lost or duplicated and every device converges (${faults} faults)`, async () => {
    console.log(`jepsen seed ${seed}  (rerun with JEPSEN_SEED=${seed})`);
    const report = await runJepsen({
      kind: 'sqlite',
      seed,
      faults,
      log: (l) => console.log(l),
      dumpFailureTo: process.env.JEPSEN_DUMP,
    });
    console.log(summarize(report));
    expect(report.violations, `seed ${seed} (rerun with JEPSEN_SEED=${seed})`).toEqual([]);
    // Only a machine too loaded to reach the budget before the safety stop (270 s) falls short here.
    expect(report.faults.total, 'faults injected before the safety stop').toBeGreaterThanOrEqual(faults);
    // Every kind of fault really happened, so a clean result means something.
    for (const kind of ['dropRequest', 'dropResponse', 'duplicate', 'delay', 'kills', 'reloadsMidSync'] as const)
      expect(report.faults[kind], kind).toBeGreaterThan(0);
    expect(report.stats.resentMutations).toBeGreaterThan(0);
  }, 330_000);
});
