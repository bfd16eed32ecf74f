/**
 * Small statistics and formatting helpers shared by the benchmark sections:
 * medians over repeated runs, nearest-rank percentiles for latencies, and
 * one spelling of byte and time units so every table reads the same way
 * (1 KB = 1024 bytes, as in test/size/budget.test.ts).
 */

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Nearest-rank percentile: p99 of 100 samples is the 99th value, never an interpolation that no request saw. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

export function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

export const KB = 1024;

export function kb(bytes: number, digits = 1): string {
  if (!Number.isFinite(bytes)) return '—';
  return `${(bytes / KB).toFixed(digits)} KB`;
}

export function bytesText(bytes: number): string {
  if (!Number.isFinite(bytes)) return '—';
  return bytes < 10 * KB ? `${Math.round(bytes)} B` : kb(bytes);
}

export function ms(value: number): string {
  if (!Number.isFinite(value)) return '—';
  return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}

export function seconds(valueMs: number): string {
  if (!Number.isFinite(valueMs)) return '—';
  return `${(valueMs / 1000).toFixed(2)} s`;
}

export function ratio(a: number, b: number): string {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return '—';
  return `${(a / b).toFixed(1)}×`;
}

export function sleep(msDelay: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, msDelay));
}

/** Rejects after `limitMs` so a wedged browser, server or replication cannot hang the whole run. */
export async function withTimeout<T>(promise: Promise<T>, limitMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${Math.round(limitMs / 1000)} s`)), limitMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Progress goes to stderr so `--json` leaves stdout machine-readable. */
export function progress(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}
