/**
 * Seeds of the fault harness that once failed. Each becomes a test of its
 * own in seeds.test.ts, with its name and what it caught, so the schedule
 * that broke an invariant keeps being replayed after the fix. The seed fixes
 * the plan, not the OS schedule (see jepsen.ts), so where a race needs a
 * particular interleaving a direct test pins it down as well.
 */
import type { DbKind } from '../server-process';

export interface RegressionSeed {
  name: string;
  seed: number;
  kind: DbKind;
  faults: number;
  devicesPerParticipant?: number[];
  /** What went wrong with this seed, and where. */
  caught: string;
}

export const REGRESSION_SEEDS: RegressionSeed[] = [
  {
    name: 'pg-concurrent-devices',
    seed: 4242,
    kind: 'postgres',
    faults: 300,
    devicesPerParticipant: [4, 3, 2],
    caught:
      'two devices of one participant syncing at once on PostgreSQL: an acknowledged delete came back and an ' +
      'acknowledged field edit was overwritten (apply.ts read the record without a lock; fixed by locking the participant scope; pinned by concurrent-devices.test.ts)',
  },
  {
    name: 'ack-without-result',
    seed: 439982,
    kind: 'sqlite',
    faults: 1000,
    caught:
      'a merged edit whose answer was lost, then acknowledged by a smaller resend without its result, left the device ' +
      "with a stale record for good (engine.ts applies it to the old server copy; the server never echoes a device's own " +
      'write; fixed by answering the results of earlier mids beside a resent batch; pinned by ack-without-result.test.ts)',
  },
];
