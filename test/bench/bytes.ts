/**
 * Section 1, bytes: what a phone downloads, compressed as the server sends
 * it. The first screen (index.html, its entry chunk with the static imports
 * it preloads, and its CSS), the whole precache the service worker fetches
 * on install, and an update after a one-line change (built twice in a copy
 * of the repository, before and after the edit; an update costs the new
 * sw.js plus every precache entry whose URL or revision changed).
 * Targets compare gzip sizes, the unit of issue #8 and test/size.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  addSizes,
  buildApp,
  copyRepository,
  firstScreen,
  sharedBuild,
  sizesOf,
  BuildError,
  type Build,
  type PrecacheEntry,
  type Sizes,
} from './build';
import { KB, kb, progress } from './stats';
import { verdict, type SectionResult, type Table, type TargetCheck } from './report';

const FIRST_SCREEN_JS_TARGET = 120 * KB;
const PRECACHE_TARGET = 400 * KB;
const UPDATE_TARGET = 50 * KB;

const sizeColumns = [
  { key: 'raw', label: 'raw', align: 'right' as const },
  { key: 'gzip', label: 'gzip', align: 'right' as const },
  { key: 'br', label: 'br q4 (served)', align: 'right' as const },
  { key: 'brMax', label: 'br q11', align: 'right' as const },
];

const sizeCells = (s: Sizes) => ({ raw: kb(s.raw), gzip: kb(s.gzip), br: kb(s.brServed), brMax: kb(s.brMax) });

function entrySizes(build: Build, entries: PrecacheEntry[]): Sizes {
  return addSizes(entries.map((e) => sizesOf(path.join(build.outDir, e.url))));
}

function kindOf(url: string): string {
  if (url.endsWith('.js')) return 'JavaScript';
  if (url.endsWith('.css')) return 'CSS';
  if (url.endsWith('.html')) return 'HTML';
  if (/\.(png|svg|ico|webp|jpg)$/.test(url)) return 'images';
  return 'other';
}

interface Edit {
  key: string;
  label: string;
  file: string;
  apply(source: string): string;
}

// A statement with an effect, so no minifier can drop it: the smallest real code change.
const appendStatement = (source: string) =>
  `${source.trimEnd()}\n(globalThis as Record<string, unknown>).vakaBenchEdit = 1;\n`;

const EDITS: Edit[] = [
  // Control: if a rebuild of unchanged sources changed anything, every other row would be noise.
  { key: 'none', label: 'no change (control: rebuild only)', file: 'index.html', apply: (source) => source },
  {
    key: 'first-screen',
    label: 'one line in the workshop list (first screen)',
    file: 'src/client/features/workshops/WorkshopListScreen.tsx',
    apply: appendStatement,
  },
  {
    key: 'lazy-screen',
    label: 'one line in the settings screen (lazy)',
    file: 'src/client/features/settings/SettingsScreen.tsx',
    apply: appendStatement,
  },
  {
    key: 'translation',
    label: 'one English string',
    file: 'locales/en/common.json',
    apply: (source) => {
      let done = false;
      const change = (value: unknown): unknown => {
        if (done) return value;
        if (typeof value === 'string') {
          done = true;
          return `${value}!`;
        }
        if (value && typeof value === 'object') {
          const out: Record<string, unknown> = {};
          for (const [k, v] of Object.entries(value)) out[k] = change(v);
          return out;
        }
        return value;
      };
      return `${JSON.stringify(change(JSON.parse(source)), null, 2)}\n`;
    },
  },
];

interface UpdateResult {
  edit: string;
  changed: string[];
  entries: Sizes;
  sw: Sizes;
  total: Sizes;
}

/**
 * The chosen language's strings (English here): not in the precache, the page caches them once the worker is
 * registered (src/client/pwa/language-cache.ts), so a phone downloads them on install and whenever they change.
 * The coordinator workspace's strings are left out, as the page leaves them out.
 */
function languageEntries(build: Build): PrecacheEntry[] {
  const dir = path.join(build.outDir, 'assets/locales/en');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.js') && !f.startsWith('coordinator-'))
    .map((f) => ({ url: `assets/locales/en/${f}`, revision: null }));
}

function diffUpdate(before: Build, after: Build, edit: Edit): UpdateResult {
  const old = new Map([...before.precache, ...languageEntries(before)].map((e) => [e.url, e.revision]));
  const changed = [...after.precache, ...languageEntries(after)].filter(
    (e) => !old.has(e.url) || old.get(e.url) !== e.revision,
  );
  const entries = entrySizes(after, changed);
  const sw = sizesOf(path.join(after.outDir, 'sw.js'));
  return { edit: edit.key, changed: changed.map((e) => e.url), entries, sw, total: addSizes([entries, sw]) };
}

export async function bytesSection(): Promise<SectionResult> {
  let build: Build;
  try {
    build = sharedBuild();
  } catch (err) {
    if (err instanceof BuildError)
      return {
        name: 'bytes',
        status: 'skipped',
        reason: `the PWA does not build: ${err.message}`,
        tables: [],
        targets: [],
        data: null,
      };
    throw err;
  }
  progress(`bytes: built in ${build.ms} ms`);
  const targets: TargetCheck[] = [];

  // First screen.
  const fs1 = firstScreen(build);
  const jsRows = fs1.js
    .map((f) => ({ file: f, s: sizesOf(path.join(build.outDir, f)) }))
    .sort((a, b) => b.s.gzip - a.s.gzip);
  const cssSizes = addSizes(fs1.css.map((f) => sizesOf(path.join(build.outDir, f))));
  const htmlSizes = sizesOf(path.join(build.outDir, 'index.html'));
  const jsTotal = addSizes(jsRows.map((r) => r.s));
  const firstTotal = addSizes([jsTotal, cssSizes, htmlSizes]);
  const jsPass = jsTotal.gzip <= FIRST_SCREEN_JS_TARGET;
  targets.push({ metric: 'first-screen JavaScript (gzip)', target: '≤ 120 KB', value: kb(jsTotal.gzip), pass: jsPass });
  const firstTable: Table = {
    title: 'First screen: index.html + entry chunk + its static imports (modulepreload) + CSS',
    columns: [
      { key: 'file', label: 'file' },
      ...sizeColumns,
      { key: 'target', label: 'target (gzip)' },
      { key: 'result', label: 'result' },
    ],
    rows: [
      { file: 'index.html', ...sizeCells(htmlSizes) },
      ...jsRows.map((r) => ({ file: r.file, ...sizeCells(r.s) })),
      ...fs1.css.map((f) => ({ file: f, ...sizeCells(sizesOf(path.join(build.outDir, f))) })),
      {
        file: `JavaScript (${jsRows.length} files)`,
        ...sizeCells(jsTotal),
        target: '≤ 120 KB',
        result: verdict(jsPass),
      },
      { file: 'first screen total (HTML + JS + CSS)', ...sizeCells(firstTotal) },
    ],
    notes: [
      'Lazy chunks the entry starts at once (the sync scheduler, the language file) are not in this list; the load section shows what the browser really fetched before the list was usable.',
    ],
  };

  // Precache.
  const byKind = new Map<string, PrecacheEntry[]>();
  for (const e of build.precache) byKind.set(kindOf(e.url), [...(byKind.get(kindOf(e.url)) ?? []), e]);
  const precacheSizes = entrySizes(build, build.precache);
  const swSizes = sizesOf(path.join(build.outDir, 'sw.js'));
  const language = languageEntries(build);
  const languageSizes = entrySizes(build, language);
  const installTotal = addSizes([precacheSizes, swSizes, languageSizes]);
  const precachePass = precacheSizes.gzip <= PRECACHE_TARGET;
  const installPass = installTotal.gzip <= PRECACHE_TARGET;
  targets.push({ metric: 'precache (gzip)', target: '≤ 400 KB', value: kb(precacheSizes.gzip), pass: precachePass });
  targets.push({
    metric: 'precache + sw.js + the chosen language, a first install (gzip)',
    target: '≤ 400 KB',
    value: kb(installTotal.gzip),
    pass: installPass,
  });
  const largest = [...build.precache]
    .map((e) => ({ url: e.url, s: sizesOf(path.join(build.outDir, e.url)) }))
    .sort((a, b) => b.s.gzip - a.s.gzip)
    .slice(0, 5)
    .map((e) => `${e.url} ${kb(e.s.gzip)}`);
  const precacheTable: Table = {
    title: `Precache: ${build.precache.length} unique entries (${build.precacheListed} listed in sw.js)`,
    columns: [
      { key: 'file', label: 'part' },
      ...sizeColumns,
      { key: 'target', label: 'target (gzip)' },
      { key: 'result', label: 'result' },
    ],
    rows: [
      ...[...byKind.entries()].map(([kind, list]) => ({
        file: `${kind} (${list.length})`,
        ...sizeCells(entrySizes(build, list)),
      })),
      { file: 'precache total', ...sizeCells(precacheSizes), target: '≤ 400 KB', result: verdict(precachePass) },
      { file: 'sw.js (the precache list and the core loader)', ...sizeCells(swSizes) },
      { file: `the chosen language's strings (English, ${language.length} files)`, ...sizeCells(languageSizes) },
      {
        file: 'precache + sw.js + one language',
        ...sizeCells(installTotal),
        target: '≤ 400 KB',
        result: verdict(installPass),
      },
    ],
    notes: [
      `Largest entries (gzip): ${largest.join(', ')}.`,
      'Images are not compressed by the server (@fastify/compress skips image/png); their raw size is counted in every column.',
      ...(build.precacheListed !== build.precache.length
        ? [
            `sw.js lists ${build.precacheListed - build.precache.length} entries twice (includeAssets repeats files globPatterns already matched); workbox keys them by URL, so they are fetched once.`,
          ]
        : []),
    ],
  };

  // Update after a one-line change.
  const updates: UpdateResult[] = [];
  const updateNotes: string[] = [];
  const copy = copyRepository('update');
  try {
    const base = buildApp(copy, 'update-base');
    for (const edit of EDITS) {
      const file = path.join(copy, edit.file);
      if (!fs.existsSync(file)) {
        updateNotes.push(`${edit.label}: skipped, ${edit.file} does not exist`);
        continue;
      }
      const original = fs.readFileSync(file, 'utf8');
      fs.writeFileSync(file, edit.apply(original));
      try {
        const after = buildApp(copy, `update-${edit.key}`);
        updates.push(diffUpdate(base, after, edit));
        fs.rmSync(after.outDir, { recursive: true, force: true });
      } finally {
        fs.writeFileSync(file, original);
      }
    }
    fs.rmSync(base.outDir, { recursive: true, force: true });
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
  const updateRows = updates.map((u) => {
    const edit = EDITS.find((e) => e.key === u.edit)!;
    const control = edit.key === 'none';
    // An unchanged rebuild ships nothing (the browser sees the same sw.js bytes and does not update).
    if (control && u.changed.length === 0) {
      u.sw = addSizes([]);
      u.total = addSizes([]);
    }
    const pass = control ? u.changed.length === 0 : u.total.gzip <= UPDATE_TARGET;
    if (!control)
      targets.push({
        metric: `update after ${edit.label} (gzip, incl. sw.js)`,
        target: '≤ 50 KB',
        value: kb(u.total.gzip),
        pass,
      });
    return {
      file: edit.label,
      n: u.changed.length,
      entries: kb(u.entries.gzip),
      sw: kb(u.sw.gzip),
      ...sizeCells(u.total),
      target: control ? 'nothing changes' : '≤ 50 KB',
      result: verdict(pass),
    };
  });
  for (const u of updates)
    updateNotes.push(`${EDITS.find((e) => e.key === u.edit)!.label}: changed ${u.changed.join(', ') || 'nothing'}`);
  updateNotes.push(
    'What one line costs: the changed chunk, the entry (it holds the hashed names of the lazy chunks) and sw.js, which changes on every release because it carries the precache list; the worker code is in assets/sw-core-<hash>.js and the shared first-screen code in vendor/shell chunks that nothing edited renames (vite.config.ts). English strings count as the chosen language.',
  );
  const updateTable: Table = {
    title: 'Update after a one-line change: new sw.js + precache entries whose URL or revision changed',
    columns: [
      { key: 'file', label: 'edit' },
      { key: 'n', label: 'changed entries', align: 'right' },
      { key: 'entries', label: 'entries gzip', align: 'right' },
      { key: 'sw', label: 'sw.js gzip', align: 'right' },
      ...sizeColumns,
      { key: 'target', label: 'target (gzip)' },
      { key: 'result', label: 'result' },
    ],
    rows: updateRows,
    notes: updateNotes,
  };

  return {
    name: 'bytes',
    status: 'ok',
    tables: [firstTable, precacheTable, updateTable],
    targets,
    data: {
      firstScreen: {
        js: Object.fromEntries(jsRows.map((r) => [r.file, r.s])),
        css: cssSizes,
        html: htmlSizes,
        jsTotal,
        total: firstTotal,
      },
      precache: {
        entries: build.precache.length,
        listed: build.precacheListed,
        total: precacheSizes,
        sw: swSizes,
        install: installTotal,
      },
      updates,
    },
  };
}
