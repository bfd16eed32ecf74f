/**
 * The update budget, enforced: what every participant's phone downloads
 * after a release that changed one line. Builds a copy of the repository,
 * appends one statement to the workshop list screen (the first screen, the
 * worst case for hashed names that cascade), builds again, and adds up the
 * gzip size of every precache entry that is new or has a new revision, plus
 * sw.js if its bytes changed (the browser then fetches it and whatever it
 * imports). Deterministic: bytes, not timings.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, copyRepository, findFile, gzipSize, type Build } from './build';

const BUDGET = 60 * 1024;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/** A statement with an effect, so no minifier can drop it: the smallest real code change. */
const appendStatement = (source: string) =>
  `${source.trimEnd()}\n(globalThis as Record<string, unknown>).vakaSizeEdit = 1;\n`;

function updateCost(before: Build, after: Build) {
  const old = new Map(before.precache.map((e) => [e.url, e.revision]));
  const changed = after.precache
    .filter((e) => old.get(e.url) !== e.revision || !old.has(e.url))
    .map((e) => ({ file: e.url, gzip: gzipSize(path.join(after.outDir, e.url)) }));
  const swBefore = readFileSync(path.join(before.outDir, 'sw.js'));
  const swAfter = readFileSync(path.join(after.outDir, 'sw.js'));
  if (!swBefore.equals(swAfter)) changed.push({ file: 'sw.js', gzip: gzipSize(path.join(after.outDir, 'sw.js')) });
  return { changed, total: changed.reduce((sum, c) => sum + c.gzip, 0) };
}

describe('an update after a one-line change', () => {
  let copy: string;
  let before: Build;
  let after: Build;
  let rebuilt: Build;

  beforeAll(() => {
    copy = copyRepository();
    before = buildApp(copy, path.join(copy, '.tmp/size-before'));
    rebuilt = buildApp(copy, path.join(copy, '.tmp/size-rebuilt'));
    const screen = findFile(path.join(copy, 'src/client'), 'WorkshopListScreen.tsx');
    writeFileSync(screen, appendStatement(readFileSync(screen, 'utf8')));
    after = buildApp(copy, path.join(copy, '.tmp/size-after'));
  }, 600_000);

  afterAll(() => {
    if (copy) rmSync(copy, { recursive: true, force: true });
  });

  it('costs nothing when nothing changed (the build is reproducible)', () => {
    expect(updateCost(before, rebuilt).changed).toEqual([]);
  });

  it(`one line in the workshop list costs at most ${kib(BUDGET)} gzip`, () => {
    const { changed, total } = updateCost(before, after);
    console.log(
      [
        `Update after one line in the workshop list: ${kib(total)} gzip in ${changed.length} file(s) (budget ${kib(BUDGET)})`,
        ...changed.sort((a, b) => b.gzip - a.gzip).map((c) => `  ${c.file}  ${kib(c.gzip)}`),
      ].join('\n'),
    );
    expect(changed.length).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(BUDGET);
  });
});
