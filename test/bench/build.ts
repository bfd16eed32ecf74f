/**
 * Production builds of the PWA for the bytes and load sections: `vite build`
 * in a child process (so NODE_ENV and Vite's state never leak into the
 * benchmark process) into a temporary folder, never into dist/, which other
 * work in this checkout uses. Reads back what a phone downloads: index.html,
 * the Vite manifest (entry chunk and its static imports), and the precache
 * list injected into sw.js.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { ROOT, tempDir } from './server';

export interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}
export type ViteManifest = Record<string, ManifestChunk>;

export interface PrecacheEntry {
  url: string;
  revision: string | null;
}

export interface Build {
  outDir: string;
  manifest: ViteManifest;
  html: string;
  /** Unique precache entries, as workbox stores them (duplicates collapse to one cache key). */
  precache: PrecacheEntry[];
  /** Entries in the injected list, duplicates included. */
  precacheListed: number;
  ms: number;
}

export class BuildError extends Error {}

/** Builds the project at `root` (the repository or a copy of it) into a fresh temp folder. */
export function buildApp(root = ROOT, label = 'build'): Build {
  const outDir = tempDir(label);
  const started = Date.now();
  const vite = path.join(ROOT, 'node_modules/vite/bin/vite.js');
  const result = spawnSync(
    process.execPath,
    [vite, 'build', '--outDir', outDir, '--emptyOutDir', '--manifest', '--logLevel', 'warn'],
    {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NODE_ENV: 'production' },
      timeout: 300_000,
    },
  );
  if (result.status !== 0) {
    const tail = `${result.stderr}\n${result.stdout}`.trim().split('\n').slice(-6).join(' | ');
    throw new BuildError(`vite build failed (exit ${result.status ?? result.signal}): ${tail}`);
  }
  const manifestPath = path.join(outDir, '.vite/manifest.json');
  if (!fs.existsSync(manifestPath) || !fs.existsSync(path.join(outDir, 'index.html'))) {
    throw new BuildError('vite build produced no index.html or manifest');
  }
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as ViteManifest;
  const html = fs.readFileSync(path.join(outDir, 'index.html'), 'utf8');
  const listed = readPrecache(outDir);
  const unique = new Map<string, PrecacheEntry>();
  for (const e of listed) unique.set(e.url, e);
  return {
    outDir,
    manifest,
    html,
    precache: [...unique.values()],
    precacheListed: listed.length,
    ms: Date.now() - started,
  };
}

/** The list vite-plugin-pwa injected for `self.__WB_MANIFEST`. */
export function readPrecache(outDir: string): PrecacheEntry[] {
  const swPath = path.join(outDir, 'sw.js');
  if (!fs.existsSync(swPath)) throw new BuildError('the build has no sw.js');
  const sw = fs.readFileSync(swPath, 'utf8');
  const match = /\[(?:\{"(?:revision|url)":(?:null|"[^"]*"),"(?:revision|url)":(?:null|"[^"]*")\},?)+\]/.exec(sw);
  if (!match) throw new BuildError('no precache manifest found in sw.js');
  const list = JSON.parse(match[0]) as PrecacheEntry[];
  return list.filter((e) => typeof e.url === 'string');
}

/** What @fastify/compress compresses: text types. Images travel as they are. */
export function compressible(file: string): boolean {
  return /\.(js|mjs|css|html|svg|json|webmanifest|txt|xml|map)$/.test(file);
}

export interface Sizes {
  raw: number;
  gzip: number;
  /** Brotli at quality 4: what the server sends (@fastify/compress default). */
  brServed: number;
  /** Brotli at quality 11: what precompressed files would weigh. */
  brMax: number;
}

const sizeCache = new Map<string, Sizes>();

export function sizesOf(file: string): Sizes {
  const cached = sizeCache.get(file);
  if (cached) return cached;
  const data = fs.readFileSync(file);
  let sizes: Sizes;
  if (!compressible(file)) sizes = { raw: data.length, gzip: data.length, brServed: data.length, brMax: data.length };
  else {
    const br = (quality: number) =>
      brotliCompressSync(data, {
        params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
      }).length;
    sizes = { raw: data.length, gzip: gzipSync(data).length, brServed: br(4), brMax: br(11) };
  }
  sizeCache.set(file, sizes);
  return sizes;
}

export function addSizes(list: Sizes[]): Sizes {
  return list.reduce(
    (a, b) => ({
      raw: a.raw + b.raw,
      gzip: a.gzip + b.gzip,
      brServed: a.brServed + b.brServed,
      brMax: a.brMax + b.brMax,
    }),
    {
      raw: 0,
      gzip: 0,
      brServed: 0,
      brMax: 0,
    },
  );
}

/** index.html's entry chunk and its static imports (what must arrive before the first render), plus their CSS. */
export function firstScreen(build: Build): { js: string[]; css: string[] } {
  const entryKey = Object.keys(build.manifest).find((k) => build.manifest[k]?.isEntry && k.endsWith('index.html'));
  if (!entryKey) throw new BuildError('index.html is not an entry in the Vite manifest');
  const seen = new Set<string>();
  const js: string[] = [];
  const css = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = build.manifest[key];
    if (!chunk) return;
    js.push(chunk.file);
    for (const f of chunk.css ?? []) css.add(f);
    for (const i of chunk.imports ?? []) visit(i);
  };
  visit(entryKey);
  // Stylesheets linked from index.html itself count too.
  for (const m of build.html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="\/([^"]+)"/g)) if (m[1]) css.add(m[1]);
  return { js, css: [...css] };
}

/** A copy of the repository (node_modules linked, not copied) to build a changed version in. */
export function copyRepository(label: string): string {
  const dir = tempDir(label);
  const skip = new Set([
    'node_modules',
    'dist',
    '.git',
    '.tmp',
    'test-results',
    'playwright-report',
    'data',
    'coverage',
  ]);
  for (const name of fs.readdirSync(ROOT)) {
    if (skip.has(name)) continue;
    fs.cpSync(path.join(ROOT, name), path.join(dir, name), { recursive: true, dereference: false });
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

let shared: Build | BuildError | null = null;

/** One build of the working tree per benchmark run, shared by the bytes and load sections. */
export function sharedBuild(): Build {
  if (shared === null) {
    try {
      shared = buildApp(ROOT, 'dist');
    } catch (err) {
      shared = err instanceof BuildError ? err : new BuildError(err instanceof Error ? err.message : String(err));
    }
  }
  if (shared instanceof BuildError) throw shared;
  return shared;
}
