/**
 * The architecture's arrows (README "Architecture") are lint rules, and this
 * suite proves they bite: an import that crosses a boundary the wrong way is
 * linted as a file placed where it would live in src/, through the project's
 * own eslint.config.js, and must be reported by the right rule; the imports
 * the architecture allows must lint clean. Targets are picked from the real
 * tree (any module of the folder), so moving files inside a folder does not
 * break the suite. The cycle case is two files under test/lint/fixtures/,
 * which `npm run lint` ignores and this suite lints on purpose.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const zoneRule = 'import-x/no-restricted-paths';
const packageRule = 'no-restricted-imports';
const cycleRule = 'import-x/no-cycle';

/** The first source module (not a test) under `dir`, found depth-first in name order. */
function someModuleIn(dir: string, accept: (file: string) => boolean = () => true): string {
  const found = (function walk(abs: string): string | undefined {
    const entries = fs.readdirSync(abs, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const full = path.join(abs, entry.name);
      if (entry.isFile() && /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) && accept(full)) {
        return full;
      }
    }
    for (const entry of entries) {
      if (entry.isDirectory()) {
        const inner = walk(path.join(abs, entry.name));
        if (inner) return inner;
      }
    }
    return undefined;
  })(path.join(root, dir));
  if (!found) throw new Error(`no module under ${dir}`);
  return found;
}

/** The import specifier a file at `from` (relative to the repository) would write for the module `target`. */
function specifier(from: string, target: string): string {
  const rel = path.relative(path.dirname(path.join(root, from)), target).replace(/\.tsx?$/, '');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/** Two features that hold code, so one can import the other. */
function twoFeatures(): [string, string] {
  const dir = path.join(root, 'src/client/features');
  const withCode = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .filter((name) => fs.readdirSync(path.join(dir, name)).some((file) => /\.tsx?$/.test(file)))
    .sort();
  if (withCode.length < 2) throw new Error('fewer than two features with code');
  return [withCode[0]!, withCode[1]!];
}

interface Case {
  name: string;
  /** Where the linted text pretends to live, relative to the repository. */
  file: string;
  /** Modules it imports, as absolute paths, bare package names, or `lazy:` + absolute path for `import()`. */
  imports: string[];
}

function source({ file, imports }: Case): string {
  return imports
    .map((target, i) => {
      if (target.startsWith('lazy:')) {
        return `export const load${i} = () => import('${specifier(file, target.slice(5))}');`;
      }
      return `import '${path.isAbsolute(target) ? specifier(file, target) : target}';`;
    })
    .join('\n');
}

let eslint: ESLint;

async function lint(c: Case): Promise<{ ruleId: string | null; message: string }[]> {
  const [result] = await eslint.lintText(source(c), { filePath: path.join(root, c.file) });
  return result!.messages.map(({ ruleId, message }) => ({ ruleId, message }));
}

beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

const [featureA, featureB] = twoFeatures();
const app = path.join(root, 'src/client/app/App.tsx');
const clientModule = path.join(root, 'src/client/main.tsx');
const shared = someModuleIn('src/shared');
const device = someModuleIn('src/device');
const deviceDouble = someModuleIn('src/device', (file) => file.split(path.sep).includes('testing'));
const server = someModuleIn('src/server');
const coordinator = someModuleIn('src/coordinator');
const ui = someModuleIn('src/client/ui');
const i18n = someModuleIn('src/client/i18n');
const content = someModuleIn('src/client/content');
const ownFeatureModule = someModuleIn(`src/client/features/${featureA}`);
const otherFeatureModule = someModuleIn(`src/client/features/${featureB}`);

describe('forbidden imports fail lint, each with the rule that guards it', { timeout: 120_000 }, () => {
  const forbidden: (Case & { rule: string })[] = [
    { name: 'src/device imports src/client', file: 'src/device/lint-case.ts', imports: [app], rule: zoneRule },
    {
      name: 'a src/device test imports src/client',
      file: 'src/device/lint-case.test.ts',
      imports: [clientModule],
      rule: zoneRule,
    },
    { name: 'src/device imports src/server', file: 'src/device/lint-case.ts', imports: [server], rule: zoneRule },
    { name: 'src/device imports React', file: 'src/device/lint-case.ts', imports: ['react'], rule: packageRule },
    { name: 'src/device imports Node', file: 'src/device/lint-case.ts', imports: ['node:fs'], rule: packageRule },
    { name: 'src/shared imports src/device', file: 'src/shared/lint-case.ts', imports: [device], rule: zoneRule },
    { name: 'src/shared imports Dexie', file: 'src/shared/lint-case.ts', imports: ['dexie'], rule: packageRule },
    { name: 'src/sw imports src/client', file: 'src/sw/lint-case.ts', imports: [clientModule], rule: zoneRule },
    { name: 'src/server imports src/client', file: 'src/server/lint-case.ts', imports: [app], rule: zoneRule },
    { name: 'src/server imports src/device', file: 'src/server/lint-case.ts', imports: [device], rule: zoneRule },
    { name: 'src/client imports src/server', file: 'src/client/ui/lint-case.tsx', imports: [server], rule: zoneRule },
    {
      name: 'src/client imports Node',
      file: 'src/client/ui/lint-case.tsx',
      imports: ['node:path'],
      rule: packageRule,
    },
    {
      name: `feature ${featureA} imports feature ${featureB}`,
      file: `src/client/features/${featureA}/lint-case.tsx`,
      imports: [otherFeatureModule],
      rule: zoneRule,
    },
    {
      name: `feature ${featureA} imports feature ${featureB} lazily`,
      file: `src/client/features/${featureA}/lint-case.tsx`,
      imports: [`lazy:${otherFeatureModule}`],
      rule: zoneRule,
    },
    {
      name: 'a feature imports the app shell',
      file: `src/client/features/${featureA}/lint-case.tsx`,
      imports: [app],
      rule: zoneRule,
    },
    {
      name: 'the UI kit imports a feature',
      file: 'src/client/ui/lint-case.tsx',
      imports: [otherFeatureModule],
      rule: zoneRule,
    },
    {
      name: 'a feature imports the coordinator workspace (only App.tsx may)',
      file: `src/client/features/${featureA}/lint-case.tsx`,
      imports: [`lazy:${coordinator}`],
      rule: zoneRule,
    },
    {
      name: 'src/coordinator imports a client feature',
      file: 'src/coordinator/lint-case.tsx',
      imports: [otherFeatureModule],
      rule: zoneRule,
    },
    {
      name: 'src/coordinator imports the client app shell',
      file: 'src/coordinator/lint-case.tsx',
      imports: [app],
      rule: zoneRule,
    },
    {
      name: 'src/coordinator imports src/server',
      file: 'src/coordinator/lint-case.tsx',
      imports: [server],
      rule: zoneRule,
    },
  ];

  it.each(forbidden)('$name', async (c) => {
    const messages = await lint(c);
    expect(messages.map((m) => m.ruleId)).toEqual([c.rule]);
  });
});

describe('the imports the architecture allows lint clean', { timeout: 120_000 }, () => {
  const permitted: Case[] = [
    { name: 'src/device imports src/shared', file: 'src/device/lint-case.ts', imports: [shared, 'dexie'] },
    { name: 'src/sw imports src/device and src/shared', file: 'src/sw/lint-case.ts', imports: [device, shared] },
    { name: 'src/server imports src/shared and Node', file: 'src/server/lint-case.ts', imports: [shared, 'node:fs'] },
    {
      name: `feature ${featureA} imports its own files, the kit, i18n, content, device and shared`,
      file: `src/client/features/${featureA}/lint-case.tsx`,
      imports: [ownFeatureModule, ui, i18n, content, device, shared, 'react'],
    },
    {
      name: 'the app shell imports features lazily, and App.tsx the coordinator workspace',
      file: 'src/client/app/App.tsx',
      imports: [`lazy:${otherFeatureModule}`, `lazy:${coordinator}`],
    },
    {
      name: 'src/coordinator imports the client UI kit, i18n, content, device and shared',
      file: 'src/coordinator/lint-case.tsx',
      imports: [ui, i18n, content, device, shared],
    },
    {
      name: 'a feature test imports a device test double and Node',
      file: `src/client/features/${featureA}/lint-case.test.ts`,
      imports: [deviceDouble, 'node:fs'],
    },
  ];

  it.each(permitted)('$name', async (c) => {
    expect(await lint(c)).toEqual([]);
  });
});

describe('import cycles', { timeout: 120_000 }, () => {
  const fixtures = path.join(root, 'test/lint/fixtures/cycle');
  // `npm run lint` ignores the fixtures; here they are linted on purpose.
  const cycleLinter = new ESLint({ cwd: root, ignore: false });

  it('reports both ends of a cycle between two React modules', async () => {
    const results = await cycleLinter.lintFiles([fixtures]);
    const byFile = Object.fromEntries(
      results.map((r) => [path.basename(r.filePath), r.messages.map((m) => m.ruleId)] as const),
    );
    expect(byFile).toEqual({ 'a.tsx': [cycleRule], 'b.tsx': [cycleRule] });
  });

  it('the cycle rule that caught the fixtures is on for every source file in src/, lazy imports included', async () => {
    const ruleFor = async (file: string) =>
      ((await cycleLinter.calculateConfigForFile(file)) as { rules: Record<string, unknown> }).rules[cycleRule];
    const fixtureRule = await ruleFor(path.join(fixtures, 'a.tsx'));
    expect(fixtureRule).toEqual([2, { ignoreExternal: true, allowUnsafeDynamicCyclicDependency: false }]);
    for (const file of [app, clientModule, shared, device, server, coordinator, otherFeatureModule]) {
      expect(await ruleFor(file), path.relative(root, file)).toEqual(fixtureRule);
    }
  });
});

describe('npm run lint', () => {
  const run = promisify(execFile);
  const bin = path.join(root, 'node_modules/eslint/bin/eslint.js');

  /** `eslint` as `npm run lint` runs it, on one file's text given on stdin. */
  function eslintCli(c: Case): Promise<{ code: number; stdout: string }> {
    const child = run(process.execPath, [bin, '--stdin', '--stdin-filename', c.file], { cwd: root });
    child.child.stdin!.end(source(c));
    return child.then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );
  }

  it('exits 1 naming the zone rule when src/device imports src/client, and 0 when it imports src/shared', async () => {
    const [bad, good] = await Promise.all([
      eslintCli({ name: 'bad', file: 'src/device/lint-case.ts', imports: [app] }),
      eslintCli({ name: 'good', file: 'src/device/lint-case.ts', imports: [shared] }),
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(zoneRule);
    expect(bad.stdout).toContain('src/device imports only src/shared');
    expect(good).toEqual({ code: 0, stdout: '' });
  }, 120_000);
});
