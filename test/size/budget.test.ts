/**
 * The first-screen JavaScript budget, enforced. Builds the app into a
 * temporary folder with the project's own Vite config, follows index.html's
 * entry chunk through its static imports (what the browser must download
 * before the workshop list can render; lazy screens and languages are not
 * counted) and fails if the gzipped total exceeds 130 KiB. Our users pay
 * for every kilobyte on satellite links.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Manifest } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BUDGET = 130 * 1024;
const GOAL = 120 * 1024;
const root = path.resolve(__dirname, '../..');
const outDir = mkdtempSync(path.join(tmpdir(), 'vaka-size-'));

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const gzipped = (file: string) => gzipSync(readFileSync(path.join(outDir, file))).length;

/** The entry chunk and everything it imports statically, each once. */
function firstScreenFiles(manifest: Manifest): { js: string[]; css: string[] } {
  const entryKey = Object.keys(manifest).find((key) => manifest[key]?.isEntry && key.endsWith('index.html'));
  if (!entryKey) throw new Error('index.html is not an entry in the Vite manifest');
  const seen = new Set<string>();
  const js: string[] = [];
  const css = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    if (!chunk) throw new Error(`${key} missing from the Vite manifest`);
    js.push(chunk.file);
    for (const file of chunk.css ?? []) css.add(file);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  visit(entryKey);
  return { js, css: [...css] };
}

describe('first-screen JavaScript', () => {
  let manifest: Manifest;
  let html: string;

  beforeAll(async () => {
    // Vitest runs with NODE_ENV=test, which would give React's development
    // build and unminified output: measure what phones really download.
    process.env.NODE_ENV = 'production';
    await build({
      mode: 'production',
      root,
      configFile: path.join(root, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true, manifest: true },
    });
    manifest = JSON.parse(readFileSync(path.join(outDir, '.vite/manifest.json'), 'utf8')) as Manifest;
    html = readFileSync(path.join(outDir, 'index.html'), 'utf8');
  }, 240_000);

  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('index.html loads exactly the entry and its static imports', () => {
    const { js } = firstScreenFiles(manifest);
    const loaded = [
      ...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\/([^"]+\.js)"/g),
    ].map((m) => m[1]);
    expect(new Set(loaded)).toEqual(new Set(js));
  });

  it(`stays within ${kib(BUDGET)} gzip`, () => {
    const { js, css } = firstScreenFiles(manifest);
    const rows = js.map((file) => ({ file, gzip: gzipped(file) })).sort((a, b) => b.gzip - a.gzip);
    const total = rows.reduce((sum, r) => sum + r.gzip, 0);
    const cssTotal = css.reduce((sum, file) => sum + gzipped(file), 0);
    const lazy = Object.values(manifest)
      .filter((c) => c.file.endsWith('.js') && !js.includes(c.file))
      .reduce((sum, c) => sum + gzipped(c.file), 0);
    console.log(
      [
        `First-screen JS: ${kib(total)} gzip in ${js.length} file(s) (budget ${kib(BUDGET)}, goal ${kib(GOAL)}${total <= GOAL ? ', goal met' : ''})`,
        ...rows.map((r) => `  ${r.file}  ${kib(r.gzip)}`),
        `First-screen CSS: ${kib(cssTotal)} gzip`,
        `Lazy JS (other screens, languages, sync engine): ${kib(lazy)} gzip`,
      ].join('\n'),
    );
    expect(total).toBeLessThanOrEqual(BUDGET);
  });
});
