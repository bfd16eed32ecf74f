/**
 * Build of the participant PWA: the React app from src/client, the service
 * worker from src/sw (vite-plugin-pwa, injectManifest) and the web app
 * manifest. The Fastify server serves dist/ in production; in development
 * `/api` is proxied to it on port 8080.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { build, defineConfig, type Plugin, type Rolldown } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { LANGUAGES, type LanguageCode } from './src/client/i18n/languages';
import { EXTRA_MANIFEST_LANGUAGES, ManifestStrings, buildManifest, manifestFileName } from './src/client/pwa/manifest';

/** One manifest per interface language, from locales/<lng>/manifest.json. */
const manifests = Object.fromEntries(
  LANGUAGES.map(({ code }) => [
    code,
    buildManifest(code, ManifestStrings.parse(JSON.parse(readFileSync(`locales/${code}/manifest.json`, 'utf8')))),
  ]),
) as Record<LanguageCode, ReturnType<typeof buildManifest>>;

/** Writes the other languages' manifests beside the plugin's English one; the page links the chosen one. */
function localizedManifests(): Plugin {
  return {
    name: 'vaka-localized-manifests',
    apply: 'build',
    generateBundle() {
      for (const code of EXTRA_MANIFEST_LANGUAGES) {
        this.emitFile({ type: 'asset', fileName: manifestFileName(code), source: JSON.stringify(manifests[code]) });
      }
    },
  };
}

/**
 * Finds the modules only the coordinator workspace uses, by the import graph rather than by a list of
 * package names: whatever the participant app cannot reach without a lazy import of a src/coordinator/
 * module. A chunk made of those alone is the workspace's (its screens, its libraries, its share of
 * shared/), and is named into assets/coordinator/.
 */
function coordinatorWorkspace(): Plugin & { onlyIn: (moduleIds: readonly string[]) => boolean } {
  const workspaceEntry = /\/src\/coordinator\//;
  const workspaceOnly = new Set<string>();
  return {
    name: 'vaka-coordinator-workspace',
    apply: 'build',
    buildEnd() {
      const reached = new Set<string>();
      const queue = [...this.getModuleIds()].filter((id) => this.getModuleInfo(id)?.isEntry);
      for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
        if (reached.has(id)) continue;
        reached.add(id);
        const info = this.getModuleInfo(id);
        if (!info) continue;
        queue.push(...info.importedIds, ...info.dynamicallyImportedIds.filter((lazy) => !workspaceEntry.test(lazy)));
      }
      workspaceOnly.clear();
      for (const id of this.getModuleIds()) if (!reached.has(id)) workspaceOnly.add(id);
    },
    // Modules the bundler adds itself (its runtime) are not in the graph: their chunks stay with the app's.
    onlyIn: (moduleIds) => moduleIds.length > 0 && moduleIds.every((id) => workspaceOnly.has(id)),
  };
}
const workspace = coordinatorWorkspace();

/**
 * Keeps the entry chunk a leaf, so a release that changes one screen renames only that screen's chunk and
 * the entry, not every chunk that imports the entry by its hashed name. From the import graph: of the
 * modules index.html loads statically (the first screen), the libraries go to `vendor` (renamed only when
 * a dependency changes) and our own modules that a lazy chunk also imports go to `shell`; the rest of the
 * first screen stays in the entry, which nothing imports.
 */
function firstScreenChunks(): Plugin & { groupOf: (id: string) => 'vendor' | 'shell' | null } {
  const firstScreen = new Set<string>();
  const sharedWithLazy = new Set<string>();
  return {
    name: 'vaka-first-screen-chunks',
    apply: 'build',
    buildEnd() {
      firstScreen.clear();
      sharedWithLazy.clear();
      const queue = [...this.getModuleIds()].filter((id) => this.getModuleInfo(id)?.isEntry);
      for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
        if (firstScreen.has(id)) continue;
        firstScreen.add(id);
        queue.push(...(this.getModuleInfo(id)?.importedIds ?? []));
      }
      for (const id of firstScreen) {
        const info = this.getModuleInfo(id);
        const importers = [...(info?.importers ?? []), ...(info?.dynamicImporters ?? [])];
        if (importers.some((importer) => !firstScreen.has(importer))) sharedWithLazy.add(id);
      }
    },
    groupOf(id) {
      if (!firstScreen.has(id)) return null;
      if (/[\\/]node_modules[\\/]/.test(id)) return 'vendor';
      return sharedWithLazy.has(id) ? 'shell' : null;
    },
  };
}
const chunks = firstScreenChunks();

/**
 * Builds the service worker's code (src/sw/core.ts: workbox and the device's sync engine) as a classic
 * script of its own, named by its content: assets/sw-core-<hash>.js. sw.js only carries the precache list
 * and loads this file with importScripts, so a release that does not touch the worker's code leaves the
 * largest part of the worker cached on every phone. Emitted into the app's bundle, so the precache lists it.
 */
function workerCore(): Plugin {
  return {
    name: 'vaka-worker-core',
    apply: 'build',
    async generateBundle() {
      const result = await build({
        configFile: false,
        root: import.meta.dirname,
        logLevel: 'warn',
        publicDir: false,
        define: { 'process.env.NODE_ENV': JSON.stringify('production') },
        build: {
          write: false,
          target: 'es2022',
          minify: true,
          lib: { entry: 'src/sw/core.ts', formats: ['iife'], name: 'vakaWorkerCore' },
        },
      });
      const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
      const code = outputs.flatMap((o) => o.output).find((file) => file.type === 'chunk')?.code;
      if (!code) throw new Error('the service worker core built to nothing');
      const hash = createHash('sha256').update(code).digest('base64url').slice(0, 10);
      this.emitFile({ type: 'asset', fileName: `assets/sw-core-${hash}.js`, source: code });
    },
  };
}

/** Each language's strings under assets/locales/<lng>/: precached for none, cached for the chosen one. */
const localeChunk = (moduleIds: readonly string[]): string | null => {
  const languages = new Set(moduleIds.map((id) => /[\\/]locales[\\/](\w+)[\\/][\w-]+\.json$/.exec(id)?.[1]));
  const [language] = languages;
  return languages.size === 1 && language ? language : null;
};

export default defineConfig({
  plugins: [
    react(),
    localizedManifests(),
    workspace,
    chunks,
    workerCore(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/sw',
      filename: 'sw.ts',
      // The page registers the worker with workbox-window so it can show its
      // own "new version" banner and never reload on its own.
      injectRegister: false,
      injectManifest: {
        // The shell and every lazy screen, so any deep link opens offline once the app has loaded once.
        // Languages are not listed: the page caches the chosen one's strings (src/client/pwa), the
        // worker's locale route keeps any other it fetches. The English manifest, its icons and `includeAssets` are added by the plugin; the
        // other languages' manifests are matched here.
        globPatterns: ['**/*.{js,css,html}', 'manifest.*.webmanifest'],
        globIgnores: ['assets/coordinator/**', 'assets/locales/**'],
        // Service workers cannot load modules by import(): one classic script.
        rollupFormat: 'iife',
        // Nothing we ship comes near this; it is a tripwire against a huge
        // chunk sneaking into every phone's first download.
        maximumFileSizeToCacheInBytes: 400 * 1024,
      },
      includeAssets: ['favicon.svg', 'icons/apple-touch-icon-180.png'],
      manifest: manifests.en,
      devOptions: { enabled: false },
    }),
  ],
  build: {
    outDir: 'dist',
    target: 'es2022',
    sourcemap: false,
    rollupOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'vendor', test: (id) => chunks.groupOf(id) === 'vendor', priority: 2 },
            { name: 'shell', test: (id) => chunks.groupOf(id) === 'shell', priority: 1 },
          ],
        },
        // The coordinator workspace and the libraries only it uses live in their own folder, which the
        // precache skips: participants' phones never download them. The service worker caches them at
        // run time instead, so the workspace still reopens offline after one visit.
        chunkFileNames: (chunk) => {
          if (workspace.onlyIn(chunk.moduleIds)) return 'assets/coordinator/[name]-[hash].js';
          const language = localeChunk(chunk.moduleIds);
          return language ? `assets/locales/${language}/[name]-[hash].js` : 'assets/[name]-[hash].js';
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': 'http://localhost:8080',
    },
  },
});
