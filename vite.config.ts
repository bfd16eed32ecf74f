/**
 * Build of the participant PWA: the React app from src/client, the service
 * worker from src/sw (vite-plugin-pwa, injectManifest) and the web app
 * manifest. The Fastify server serves dist/ in production; in development
 * `/api` is proxied to it on port 8080.
 */
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';

export default defineConfig({
  plugins: [
    react(),
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
        // The manifest, its icons and `includeAssets` are added by the plugin.
        globPatterns: ['**/*.{js,css,html}'],
        globIgnores: ['assets/coordinator/**'],
        // Service workers cannot load modules by import(): one classic script.
        rollupFormat: 'iife',
        // Nothing we ship comes near this; it is a tripwire against a huge
        // chunk sneaking into every phone's first download.
        maximumFileSizeToCacheInBytes: 400 * 1024,
      },
      includeAssets: ['favicon.svg', 'icons/apple-touch-icon-180.png'],
      manifest: {
        id: '/',
        name: 'Vaka',
        short_name: 'Vaka',
        description:
          'Your WCO Asia/Pacific workshops on your phone: agendas, materials and follow-up, all working offline.',
        lang: 'en',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        theme_color: '#0b5563',
        background_color: '#f7f9fa',
        categories: ['education', 'productivity'],
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/maskable-192.png', sizes: '192x192', type: 'image/png', purpose: 'maskable' },
          { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
        // Shown by Chrome's richer install sheet; fetched only then, never precached.
        screenshots: [
          {
            src: '/screenshots/workshops-360.png',
            sizes: '720x1472',
            type: 'image/png',
            form_factor: 'narrow',
            label: 'Your workshops, offline',
          },
        ],
        shortcuts: [
          {
            name: 'My workshops',
            short_name: 'Workshops',
            url: '/',
            icons: [{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' }],
          },
          {
            name: 'WCO tools',
            short_name: 'Tools',
            url: '/tools',
            icons: [{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' }],
          },
          {
            name: 'Enter an enrolment code',
            short_name: 'Enrol',
            url: '/enrol',
            icons: [{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' }],
          },
        ],
      },
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
            /features\/coordinator\/|node_modules\/(chart\.js|@kurkle|papaparse|qrcode|pngjs|dijkstrajs|encode-utf8)\//.test(
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
