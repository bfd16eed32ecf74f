/**
 * The README and docs/ stay true to the repository: every relative link and
 * image resolves to a file of the repository (and to a heading or an id there
 * when it names an anchor), every repository path a page names in code
 * (`src/…`, `test/…`) exists, nothing points outside the repository (a clone
 * has no sibling folders and no machine paths), and the README stays short
 * (≤ 12 KB, issue #13), leaving depth to docs/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parser, RuleType } from 'markdown-to-jsx';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const README_LIMIT = 12 * 1024;

/** The pages checked: the README and every Markdown file under docs/. */
function pages(): string[] {
  const docs = fs
    .readdirSync(path.join(root, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.md'))
    .map((name) => path.join('docs', name));
  return ['README.md', ...docs.sort()];
}

type Node = Record<string, unknown>;

/** Every AST node, depth-first, whatever property holds the children (children, items, cells, refs …). */
function* walk(value: unknown): Generator<Node> {
  if (Array.isArray(value)) {
    for (const item of value) yield* walk(item);
  } else if (value !== null && typeof value === 'object') {
    const node = value as Node;
    if (typeof node.type === 'number') yield node;
    for (const child of Object.values(node)) yield* walk(child);
  }
}

/** The text a heading shows, without its Markdown. */
function plainText(node: unknown): string {
  return [...walk(node)].map((n) => (typeof n.text === 'string' && n.type !== RuleType.heading ? n.text : '')).join('');
}

/**
 * GitHub's heading anchor: lower case, punctuation dropped (letters, digits, marks, `_`, `-` and spaces kept),
 * spaces to hyphens, and `-1`, `-2` … on repeats.
 */
function githubSlug(text: string, seen: Map<string, number>): string {
  const base = text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
  const count = seen.get(base) ?? 0;
  seen.set(base, count + 1);
  return count === 0 ? base : `${base}-${count}`;
}

interface Page {
  file: string;
  text: string;
  /** Link and image targets, HTML href/src included. */
  targets: string[];
  /** Anchors a link may name: heading slugs and HTML ids. */
  anchors: Set<string>;
  /** Inline code spans. */
  code: string[];
}

const cache = new Map<string, Page>();

function read(file: string): Page {
  const cached = cache.get(file);
  if (cached) return cached;
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  const page: Page = { file, text, targets: [], anchors: new Set(), code: [] };
  const seen = new Map<string, number>();
  for (const node of walk(parser(text))) {
    if (node.type === RuleType.heading) page.anchors.add(githubSlug(plainText(node.children), seen));
    if ((node.type === RuleType.link || node.type === RuleType.image) && typeof node.target === 'string') {
      page.targets.push(node.target);
    }
    if (node.type === RuleType.codeInline && typeof node.text === 'string') page.code.push(node.text);
    const attrs = node.attrs as Record<string, unknown> | undefined;
    for (const key of ['href', 'src']) if (typeof attrs?.[key] === 'string') page.targets.push(attrs[key]);
    for (const key of ['id', 'name']) if (typeof attrs?.[key] === 'string') page.anchors.add(attrs[key]);
  }
  cache.set(file, page);
  return page;
}

const isExternal = (target: string) => /^(https?:|mailto:)/i.test(target);

/** Where a relative link leads, relative to the repository root ('' for the page itself). */
function resolveLink(page: string, target: string): { file: string; anchor: string | undefined } {
  const [pathPart = '', anchor] = target.split('#', 2);
  const file =
    pathPart === '' ? page : path.relative(root, path.resolve(root, path.dirname(page), decodeURI(pathPart)));
  return { file, anchor };
}

const outside = (relative: string) => relative.startsWith('..') || path.isAbsolute(relative);

/** A code span that names a path of the repository, e.g. `src/device/sync/` or `test/fault/jepsen.test.ts`. */
const REPO_PATH = /^(src|test|docs|public|locales|\.ci)\/[\w./-]*$/;

describe.each(pages())('%s', (file) => {
  const page = read(file);

  it('every relative link and image resolves to a file of the repository, and its anchor to a heading there', () => {
    const broken: string[] = [];
    for (const target of page.targets) {
      if (isExternal(target)) continue;
      if (target.startsWith('/')) {
        broken.push(`${target}: absolute path (outside the repository)`);
        continue;
      }
      const { file: dest, anchor } = resolveLink(file, target);
      if (outside(dest)) broken.push(`${target}: leads outside the repository`);
      else if (!fs.existsSync(path.join(root, dest))) broken.push(`${target}: no such file ${dest}`);
      else if (anchor !== undefined && dest.endsWith('.md') && !read(dest).anchors.has(anchor)) {
        broken.push(`${target}: no heading or id "${anchor}" in ${dest}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('every repository path it names in code exists', () => {
    const missing = page.code
      .map((code) => code.replace(/:\d+$/, ''))
      .filter((code) => REPO_PATH.test(code) && !fs.existsSync(path.join(root, code)));
    expect(missing).toEqual([]);
  });

  it('names no path outside the repository', () => {
    const machinePaths = page.text.match(/(?<![\w.])\/(work|home|root|tmp|Users)\/[^\s`)]*/g) ?? [];
    const notes = page.text.match(/(\.\.\/)+shared\/[^\s`)]*|shared\/notes\/[^\s`)]*/g) ?? [];
    expect([...machinePaths, ...notes]).toEqual([]);
  });
});

describe('README.md', () => {
  it(`is at most ${README_LIMIT} bytes, leaving depth to docs/`, () => {
    expect(fs.statSync(path.join(root, 'README.md')).size).toBeLessThanOrEqual(README_LIMIT);
  });

  it('links every page of docs/', () => {
    const linked = new Set(
      read('README.md')
        .targets.filter((t) => !isExternal(t))
        .map((t) => resolveLink('README.md', t).file),
    );
    expect(pages().filter((p) => p !== 'README.md' && !linked.has(p))).toEqual([]);
  });
});

describe('the checks themselves', () => {
  it('make GitHub’s heading anchors, repeats numbered', () => {
    const seen = new Map<string, number>();
    expect(githubSlug('Security checks (OWASP ASVS L2)', seen)).toBe('security-checks-owasp-asvs-l2');
    expect(githubSlug('The `npm` bench — “x”', seen)).toBe('the-npm-bench--x');
    expect(githubSlug('Rows', seen)).toBe('rows');
    expect(githubSlug('Rows', seen)).toBe('rows-1');
  });

  it('find links, images, HTML sources, anchors and code paths in a page, but not inside code', () => {
    const dir = fs.mkdtempSync(path.join(root, '.tmp', 'docs-links-'));
    try {
      const file = path.relative(root, path.join(dir, 'page.md'));
      fs.writeFileSync(
        path.join(root, file),
        '# Title\n\n## Part one\n\nSee [a](other.md#x), ![i](pic.png), <img src="s.png" alt="">, `src/x/`.\n\n' +
          '<a id="here"></a>Text `[not](a-link.md)`.\n\n```\n[nor](this.md)\n```\n',
      );
      const page = read(file);
      expect(page.targets).toEqual(['other.md#x', 'pic.png', 's.png']);
      expect([...page.anchors].sort()).toEqual(['here', 'part-one', 'title']);
      expect(page.code).toEqual(['src/x/', '[not](a-link.md)']);
      expect(resolveLink(file, '../../README.md#vaka')).toEqual({ file: 'README.md', anchor: 'vaka' });
      expect(outside(resolveLink(file, '../../../elsewhere/notes.md').file)).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
