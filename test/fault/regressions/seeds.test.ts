/**
 * Replays every seed in seeds.ts that once broke an invariant, by name, on
 * the database it failed on (PostgreSQL seeds need the cluster `npm test`
 * starts). Kept apart from jepsen.test.ts so vitest runs them alongside it.
 */
import { describe, expect, it } from 'vitest';
import { runJepsen, summarize } from '../jepsen';
import { DB_KINDS } from '../../server/harness';
import { REGRESSION_SEEDS } from './seeds';

describe('fault harness regressions', () => {
  for (const r of REGRESSION_SEEDS) {
    it.skipIf(!DB_KINDS.includes(r.kind))(
      `"${r.name}" (seed ${r.seed}, ${r.kind}): ${r.caught}`,
      async () => {
        const report = await runJepsen({
          kind: r.kind,
          seed: r.seed,
          faults: r.faults,
          devicesPerParticipant: r.devicesPerParticipant,
        });
        console.log(summarize(report));
        expect(report.violations, `regression "${r.name}"`).toEqual([]);
      },
      330_000,
    );
  }
});
