/**
 * Build of the participant PWA: the React app from src/client, the service
 * worker from src/sw (vite-plugin-pwa, injectManifest) and the web app
 * manifest. The Fastify server serves dist/ in production; in development
 * `/api` is proxied to it on port 8080.
 */
import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { LANGUAGES, type LanguageCode } from './src/client/i18n/languages';
import {
  EXTRA_MANIFEST_LANGUAGES,
  ManifestStrings,
  buildManifest,
  manifestFileName,
} from './src/client/app/pwa/manifest';

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

export default defineConfig({
  plugins: [
    react(),
    localizedManifests(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/sw',
      filename: 'sw.ts',
      // The page registers the worker with workbox-window so it can show its
      // own "new version" banner and never reload on its own.
      injectRegister: false,
      injectManifest: {
        // The shell, every lazy screen and every language chunk, so any deep
        // link and any language opens offline once the app has loaded once.
        // The English manifest, its icons and `includeAssets` are added by the plugin; the
        // other languages' manifests are matched here.
        globPatterns: ['**/*.{js,css,html}', 'manifest.*.webmanifest'],
        globIgnores: ['assets/coordinator/**'],
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
        // The coordinator workspace and the libraries only it uses live in their own folder, which the
        // precache skips: participants' phones never download them. The service worker caches them at
        // run time instead, so the workspace still reopens offline after one visit.
        chunkFileNames(chunk) {
          const coordinatorOnly = chunk.moduleIds.every((id) =>
            /src\/coordinator\/|shared\/domain\/responses-csv|node_modules\/(chart\.js|@kurkle|papaparse|qrcode|pngjs|dijkstrajs|encode-utf8|write-excel-file|fflate)\//.test(
              id,
            ),
          );
          return coordinatorOnly && chunk.moduleIds.length > 0
            ? 'assets/coordinator/[name]-[hash].js'
            : 'assets/[name]-[hash].js';
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
