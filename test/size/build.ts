/**
 * Production builds for the size budgets: `vite build` in a child process
 * (NODE_ENV and Vite's state never leak between two builds or into the test
 * process) into a folder of the caller's, and what a phone downloads read
 * back from it: the Vite manifest, index.html and the precache list that
 * vite-plugin-pwa injected into sw.js.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Manifest } from 'vite';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export interface PrecacheEntry {
  url: string;
  revision: string | null;
}

export interface Build {
  outDir: string;
  manifest: Manifest;
  html: string;
  precache: PrecacheEntry[];
}

/** Builds the project at `root` (the repository or a copy of it) into `outDir`. */
export function buildApp(root: string, outDir: string): Build {
  const vite = path.join(ROOT, 'node_modules/vite/bin/vite.js');
  const result = spawnSync(
    process.execPath,
    [vite, 'build', '--outDir', outDir, '--emptyOutDir', '--manifest', '--logLevel', 'warn'],
    { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' }, timeout: 300_000 },
  );
  if (result.status !== 0) throw new Error(`vite build failed in ${root}:\n${result.stderr}\n${result.stdout}`);
  return {
    outDir,
    manifest: JSON.parse(readFileSync(path.join(outDir, '.vite/manifest.json'), 'utf8')) as Manifest,
    html: readFileSync(path.join(outDir, 'index.html'), 'utf8'),
    precache: readPrecache(outDir),
  };
}

/** The list injected for `self.__WB_MANIFEST`, each URL once (as workbox keys its cache). */
export function readPrecache(outDir: string): PrecacheEntry[] {
  const sw = readFileSync(path.join(outDir, 'sw.js'), 'utf8');
  const match = /\[(?:\{"(?:revision|url)":(?:null|"[^"]*"),"(?:revision|url)":(?:null|"[^"]*")\},?)+\]/.exec(sw);
  if (!match) throw new Error('no precache manifest found in sw.js');
  const unique = new Map<string, PrecacheEntry>();
  for (const entry of JSON.parse(match[0]) as PrecacheEntry[]) unique.set(entry.url, entry);
  return [...unique.values()];
}

export const gzipSize = (file: string): number => gzipSync(readFileSync(file)).length;

/** A copy of the repository's sources (node_modules linked, not copied) to edit and build in. */
export function copyRepository(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'vaka-size-copy-'));
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
  for (const name of readdirSync(ROOT)) {
    if (!skip.has(name)) cpSync(path.join(ROOT, name), path.join(dir, name), { recursive: true });
  }
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

/** The file called `name` under `dir`, wherever a restructuring has put it. */
export function findFile(dir: string, name: string): string {
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name === name) return path.join(entry.parentPath, entry.name);
  }
  throw new Error(`${name} not found under ${dir}`);
}
