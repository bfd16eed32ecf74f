/**
 * The larger fault-harness run for `npm run bench` (issue #9): the same
 * Jepsen-style run as test/fault/jepsen.test.ts, with more faults and more
 * devices, on SQLite and on PostgreSQL. The bench runner calls
 * `runFaultBench` and prints the flat record it returns; violations are
 * reported, not thrown, as for every other bench figure.
 */
import 'fake-indexeddb/auto';
import { runJepsen, type JepsenReport } from '../fault/jepsen';
import type { DbKind } from '../fault/server-process';

export interface FaultBenchOptions {
  /** Faults per database (default 5,000; --quick callers pass fewer). */
  faults?: number;
  /** Default: a fresh seed from the clock, printed in the result. */
  seed?: number;
  /** Default: both; PostgreSQL is skipped (and says so) when no admin URL is known. */
  kinds?: DbKind[];
  /** A PostgreSQL URL whose user may CREATE DATABASE; default TEST_DATABASE_URL. */
  pgAdminUrl?: string;
  /** One participant per entry with that many devices; default [4, 3, 2]. */
  devicesPerParticipant?: number[];
  log?: (line: string) => void;
}

function flatten(prefix: string, r: JepsenReport): Record<string, number | string> {
  return {
    [`${prefix}.seed`]: r.seed,
    [`${prefix}.seconds`]: Math.round(r.durationMs / 100) / 10,
    [`${prefix}.faults`]: r.faults.total,
    [`${prefix}.faults.cutRequests`]: r.faults.dropRequest,
    [`${prefix}.faults.cutAnswers`]: r.faults.dropResponse,
    [`${prefix}.faults.duplicates`]: r.faults.duplicate,
    [`${prefix}.faults.delays`]: r.faults.delay,
    [`${prefix}.faults.sigkills`]: r.faults.kills,
    [`${prefix}.faults.reloadsMidSync`]: r.faults.reloadsMidSync,
    [`${prefix}.requests`]: r.proxy.requests,
    [`${prefix}.mutations`]: r.stats.invocations,
    [`${prefix}.mutations.applied`]: r.stats.applied,
    [`${prefix}.mutations.merged`]: r.stats.merged,
    [`${prefix}.mutations.rejected`]: r.stats.rejected,
    [`${prefix}.mutations.resent`]: r.stats.resentMutations,
    [`${prefix}.records`]: r.stats.records,
    [`${prefix}.violations`]: r.violations.length,
    [`${prefix}.verdict`]:
      r.violations.length === 0
        ? 'no acknowledged write lost or duplicated; all devices converged'
        : `FAILED (rerun with JEPSEN_SEED=${r.seed}): ${r.violations.slice(0, 3).join(' | ')}`,
  };
}

export async function runFaultBench(opts: FaultBenchOptions = {}): Promise<Record<string, number | string>> {
  const faults = opts.faults ?? 5000;
  const seed = opts.seed ?? Date.now() % 1_000_000;
  const pgAdminUrl = opts.pgAdminUrl ?? process.env.TEST_DATABASE_URL;
  const out: Record<string, number | string> = { faultsPerDatabase: faults };
  for (const kind of opts.kinds ?? (['sqlite', 'postgres'] as const)) {
    if (kind === 'postgres' && !pgAdminUrl) {
      out['postgres.skipped'] = 'no PostgreSQL admin URL (pass pgAdminUrl or set TEST_DATABASE_URL)';
      continue;
    }
    opts.log?.(`fault bench on ${kind}: seed ${seed}, ${faults} faults`);
    const report = await runJepsen({
      kind,
      seed,
      faults,
      pgAdminUrl,
      devicesPerParticipant: opts.devicesPerParticipant ?? [4, 3, 2],
      // A long run must not stop on the CI run's safety limit.
      maxFaultPhaseMs: 60 * 60_000,
      log: opts.log,
    });
    Object.assign(out, flatten(kind, report));
  }
  return out;
}
