// Lint rules: typescript-eslint's strict set, React hooks rules, and the
// architecture's arrows (README "Architecture", docs/architecture.md):
// shared <- device <- client and sw; the coordinator workspace on the
// client's UI kit, i18n and content; the server on shared only; features
// never import one another; no import cycle anywhere in src/. Folder arrows
// are import-x zones checked on the resolved file, so a relative path cannot
// dodge them; Node builtins and runtime-specific packages are plain
// no-restricted-imports. test/lint/boundaries.test.ts proves they bite.
import fs from 'node:fs';
import path from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import { importX, createNodeResolver } from 'eslint-plugin-import-x';
import globals from 'globals';

const root = import.meta.dirname;
const nodeBuiltins = ['node:*', 'fs', 'path', 'crypto', 'http', 'os', 'child_process', 'net', 'zlib', 'stream'];
const reactPackages = ['react', 'react-dom', 'react-dom/*', 'react-i18next', 'dexie-react-hooks', 'wouter'];

/** `no-restricted-imports` for bare package names (folder arrows are zones below). */
const restrictPackages = (message, names) => ['error', { patterns: names.map((name) => ({ group: [name], message })) }];

/** A zone: files under `target` may not import files under `from` (minus `except`, relative to `from`). */
const zone = (target, from, message, except) => ({ target, from, message, ...(except ? { except } : {}) });

const shared = 'src/shared';
const device = 'src/device';
const client = 'src/client';
const coordinator = 'src/coordinator';
const sw = 'src/sw';
const server = 'src/server';

const zones = {
  shared: [
    zone(shared, [device, client, coordinator, sw, server], 'src/shared is pure: it imports no other folder of src/.'),
  ],
  device: [zone(device, [client, coordinator, sw, server], 'src/device imports only src/shared.')],
  sw: [zone(sw, [client, coordinator, server], 'The service worker imports only src/device and src/shared.')],
  server: [zone(server, [device, client, coordinator, sw], 'The server imports only src/shared.')],
  coordinator: [
    zone(coordinator, [sw, server], 'The coordinator workspace runs in the browser, on the client app.'),
    zone(
      coordinator,
      client,
      'The coordinator workspace imports only the client UI kit, i18n and content helpers (src/client/ui, i18n, content).',
      ['./ui', './i18n', './content'],
    ),
  ],
  client: [zone(client, [sw, server], 'Browser code cannot import server or service-worker code.')],
  // Inside the client, imports flow app -> features -> the shared parts (ui, i18n, content, sync): no folder cycle.
  clientLayers: [
    zone(
      [`${client}/ui`, `${client}/i18n`, `${client}/content`, `${client}/sync`],
      [`${client}/app`, `${client}/features`],
      'The UI kit, i18n, content helpers and the sync scheduler serve the features and the app; they import neither.',
    ),
    zone(`${client}/features`, `${client}/app`, 'Features do not import the app shell; the app composes them.'),
  ],
  clientToCoordinator: [
    zone(client, coordinator, 'Only src/client/app/App.tsx may import the coordinator workspace (one lazy route).'),
  ],
};

// One zone per feature: src/client/features/<a> may import nothing of src/client/features/<b>.
const featuresDir = path.join(root, client, 'features');
const featureZones = fs
  .readdirSync(featuresDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map(({ name }) =>
    zone(`${client}/features/${name}`, `${client}/features`, 'Features do not import one another.', [`./${name}`]),
  );

const restrictedPaths = (...lists) => ['error', { basePath: root, zones: lists.flat() }];

export default tseslint.config(
  {
    ignores: [
      'dist',
      'node_modules',
      '.tmp',
      'coverage',
      'test-results',
      'playwright-report',
      'data',
      // Deliberate violations, linted only by test/lint/boundaries.test.ts.
      'test/lint/fixtures',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    plugins: { 'import-x': importX },
    settings: {
      // Imports are relative paths (no tsconfig path aliases), so import-x's own Node resolver (unrs-resolver,
      // native) resolves them; a tsconfig-reading resolver would only add lint time.
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] })],
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // Cycles, lazy imports included. Tests are leaves (nothing imports them), so they are left out.
    files: ['src/**/*.{ts,tsx}', 'test/lint/fixtures/**/*.{ts,tsx}'],
    ignores: ['**/*.test.{ts,tsx}'],
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: [`${shared}/**/*.ts`],
    rules: {
      'no-restricted-imports': restrictPackages('src/shared is pure: no Node, no browser storage, no React.', [
        ...nodeBuiltins,
        'dexie',
        'kysely',
        ...reactPackages,
      ]),
      'import-x/no-restricted-paths': restrictedPaths(zones.shared),
    },
  },
  {
    files: [`${device}/**/*.ts`],
    languageOptions: { globals: globals.worker },
    rules: {
      'no-restricted-imports': restrictPackages('src/device runs headless (window or worker): no Node, no React.', [
        ...nodeBuiltins,
        'kysely',
        ...reactPackages,
      ]),
      'import-x/no-restricted-paths': restrictedPaths(zones.device),
    },
  },
  {
    files: [`${sw}/**/*.ts`],
    languageOptions: { globals: globals.serviceworker },
    rules: {
      'no-restricted-imports': restrictPackages('The service worker has no Node and no React.', [
        ...nodeBuiltins,
        ...reactPackages,
      ]),
      'import-x/no-restricted-paths': restrictedPaths(zones.sw),
    },
  },
  {
    files: [`${client}/**/*.{ts,tsx}`, `${coordinator}/**/*.{ts,tsx}`],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': restrictPackages('Browser code cannot import Node modules.', nodeBuiltins),
    },
  },
  {
    files: [`${client}/**/*.{ts,tsx}`],
    rules: {
      'import-x/no-restricted-paths': restrictedPaths(
        zones.client,
        zones.clientLayers,
        zones.clientToCoordinator,
        featureZones,
      ),
    },
  },
  {
    // The one door from the participant app into the coordinator workspace: App.tsx's lazy route.
    files: [`${client}/app/App.tsx`],
    rules: { 'import-x/no-restricted-paths': restrictedPaths(zones.client, zones.clientLayers) },
  },
  {
    files: [`${coordinator}/**/*.{ts,tsx}`],
    rules: { 'import-x/no-restricted-paths': restrictedPaths(zones.coordinator) },
  },
  {
    files: [`${server}/**/*.ts`],
    languageOptions: { globals: globals.node },
    rules: {
      'no-restricted-imports': restrictPackages('The server does not run browser code.', ['dexie', ...reactPackages]),
      'import-x/no-restricted-paths': restrictedPaths(zones.server),
    },
  },
  {
    // Tests beside the code keep their folder's arrows (a device test cannot reach into the client), but may use
    // Node (fake servers, files, fake-indexeddb) and React's server renderer.
    files: ['src/**/*.test.{ts,tsx}'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // Cross-cutting suites (contract, fault, e2e, bench) and tool configs drive every runtime at once.
    files: ['test/**/*.{ts,mjs}', '*.ts', '*.js'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: { 'no-restricted-imports': 'off' },
  },
);
