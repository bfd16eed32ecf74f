/**
 * Every participant screen in English and in Persian (issue #7), on a
 * 360×640 phone: axe finds no serious or critical WCAG 2.2 A/AA violation,
 * nothing scrolls sideways, Tab reaches every control with a visible focus
 * ring that the sticky header and the bottom bar do not hide, touch targets
 * are at least 24×24 CSS px, "reduce motion" leaves no transition or
 * animation running, and 200 % text loses nothing. Persian comes from the
 * device's own language (fa-IR) and mirrors the layout; published content
 * without a Persian translation says so and is marked as English. A second
 * test writes screenshots of the main screens in en, fr and fa to
 * test-results/screenshots/ for a person to look at.
 *
 * Labels and headings are read from locales/<lng>/*.json, so the test
 * follows the strings instead of repeating them.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { addDays, addMonths, dateInZone } from '../../src/shared/domain/time-zones';
import { coordinatorToken, createParticipant, DEMO_WORKSHOP, enrolmentCode, publishWorkshop } from './helpers';

type Lng = 'en' | 'fr' | 'fa';

/** The phone's own language setting for each interface language. */
const DEVICE_LOCALE: Record<Lng, string> = { en: 'en-GB', fr: 'fr-FR', fa: 'fa-IR' };

// ---- Strings, straight from the locale files ----

function flatten(value: unknown, prefix: string, out: Map<string, string>): void {
  if (typeof value === 'string') {
    out.set(prefix, value);
    return;
  }
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    flatten(child, prefix.endsWith(':') ? `${prefix}${key}` : `${prefix}.${key}`, out);
  }
}

const strings = new Map<Lng, Map<string, string>>();

/** s('fa', 'settings:settings.title'); placeholders filled from `vars`. */
function s(lng: Lng, key: string, vars: Record<string, string | number> = {}): string {
  let table = strings.get(lng);
  if (!table) {
    table = new Map();
    const dir = path.resolve('locales', lng);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      flatten(JSON.parse(readFileSync(path.join(dir, file), 'utf8')), `${file.replace(/\.json$/, '')}:`, table);
    }
    strings.set(lng, table);
  }
  const text = table.get(key);
  if (text === undefined) throw new Error(`no string ${key} in ${lng}`);
  return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(vars[name] ?? `{{${name}}}`));
}

// ---- Content published for these tests ----

const demo = JSON.parse(readFileSync('src/server/content/demo/workshops-2021-22.json', 'utf8')) as {
  workshops: { id: string; title: string }[];
  materials: { id: string; workshopId: string; title: string }[];
};
const hsWorkshop = demo.workshops.find((w) => DEMO_WORKSHOP.test(w.title))!;
const hsMaterial = demo.materials.find((m) => m.workshopId === hsWorkshop.id)!;

interface Setup {
  token: string;
  workshopId: string;
  title: string;
  titleFr: string;
  participantId: string;
  toolSlug: string;
  toolTitle: string;
  toolTitleFr: string;
}

let setup: Promise<Setup> | undefined;

/**
 * Once per run: a workshop that ended six months ago in Fiji (so its survey
 * and evaluation are open) with a French translation, a session whose
 * speakers' Latin names sit inside translated sentences, a participant on
 * its roster, and a tool summary translated into French only.
 */
function content(request: APIRequestContext, baseURL: string): Promise<Setup> {
  setup ??= (async () => {
    const token = await coordinatorToken(request, baseURL);
    const auth = { authorization: `Bearer ${token}` };
    const today = dateInZone(new Date(), 'Pacific/Fiji');
    const endDate = addDays(addMonths(today, -6), -2);
    const workshopId = randomUUID();
    const title = 'Sub-regional workshop on post-clearance audit (languages)';
    const titleFr = 'Atelier sous-régional sur le contrôle a posteriori (langues)';
    await publishWorkshop(request, token, {
      id: workshopId,
      title,
      summary: 'Risk-based selection of audits, record keeping and the PCA manual of the WCO.',
      startDate: addDays(endDate, -3),
      endDate,
      translations: {
        fr: {
          title: titleFr,
          summary: 'Sélection des contrôles fondée sur les risques, tenue des registres et manuel CAP de l’OMD.',
        },
      },
    });
    const sessionId = randomUUID();
    const session = await request.put(`/api/v1/agenda-sessions/${sessionId}`, {
      headers: auth,
      data: {
        id: sessionId,
        workshopId,
        date: endDate,
        start: '09:00',
        end: '10:30',
        title: 'Audit selection with the risk matrix',
        speakers: ['Mele Taufa', 'Sione Latu'],
        room: 'Tanoa Room',
      },
    });
    expect(session.status(), await session.text()).toBe(200);
    const participantId = await createParticipant(request, token, [workshopId]);

    const toolId = randomUUID();
    const toolSlug = `customs-laboratories-${toolId.slice(0, 8)}`;
    const toolTitle = 'Customs laboratories';
    const toolTitleFr = 'Laboratoires des douanes';
    const tool = await request.put(`/api/v1/tool-summaries/${toolId}`, {
      headers: auth,
      data: {
        id: toolId,
        slug: toolSlug,
        title: toolTitle,
        body: '## What it is\n\nGuidance on setting up and running a **customs laboratory**, with the WCO Customs Laboratory Guide.\n\n- Sampling\n- Analysis for tariff classification',
        officialUrl: 'https://www.wcoomd.org/',
        tags: ['Laboratory'],
        translations: {
          fr: {
            title: toolTitleFr,
            body: '## De quoi s’agit-il ?\n\nConseils pour créer et faire fonctionner un **laboratoire des douanes**, avec le guide de l’OMD.',
          },
        },
      },
    });
    expect(tool.status(), await tool.text()).toBe(200);
    return { token, workshopId, title, titleFr, participantId, toolSlug, toolTitle, toolTitleFr };
  })();
  setup.catch(() => (setup = undefined));
  return setup;
}

async function enrol(page: Page, lng: Lng, data: Setup): Promise<void> {
  const code = await enrolmentCode(page.request, data.token, data.participantId);
  await page.goto('/enrol');
  await page.getByLabel(s(lng, 'enrol:enroll.codeLabel')).fill(code);
  await page.getByRole('button', { name: s(lng, 'enrol:enroll.submit'), exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: s(lng, 'enrol:enroll.enrolledTitle') })).toBeVisible({
    timeout: 30_000,
  });
}

/** Logs an "Other action" through the form, in the screen's language. */
async function logAction(page: Page, lng: Lng, workshopId: string, description: string): Promise<void> {
  await page.goto(`/workshops/${workshopId}/follow-up/new`);
  await page.getByRole('radio', { name: s(lng, 'form:kinds.other') }).check();
  await page.getByLabel(s(lng, 'followup:form.descriptionLabel')).fill(description);
  await page.getByRole('button', { name: s(lng, 'followup:form.save'), exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: s(lng, 'followup:log.title') })).toBeVisible();
}

// ---- The checks every screen goes through ----

async function expectNoSeriousAxeViolations(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const minor = results.violations.filter((v) => !serious.includes(v));
  if (minor.length > 0) console.log(`${screen}: minor axe findings: ${minor.map((v) => v.id).join(', ')}`);
  const report = serious.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`,
  );
  expect.soft(report, `${screen}: serious or critical axe violations`).toEqual([]);
}

async function expectNoHorizontalScroll(page: Page, screen: string): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect.soft(overflow, `${screen} scrolls sideways at 360 px`).toBeLessThanOrEqual(0);
}

/**
 * Tab from the top of the page through every control of the header, the
 * screen and the bottom bar (a radio group is one stop). Each stop must show
 * a focus ring and must not sit under the sticky header or the fixed bar.
 */
async function expectKeyboardOperable(page: Page, screen: string): Promise<void> {
  const expected = await page.evaluate(() => {
    const selector =
      'a[href], button, input:not([type="hidden"]), select, textarea, summary, [tabindex]:not([tabindex="-1"])';
    const stops = new Set<string>();
    let n = 0;
    for (const el of document.querySelectorAll<HTMLElement>(selector)) {
      delete el.dataset.kbd;
      if (!el.closest('header, nav, main') && !el.classList.contains('skip-link')) continue;
      if ((el as HTMLButtonElement).disabled || el.closest('[inert], [hidden], details:not([open]) > :not(summary)'))
        continue;
      const style = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      if (style.visibility === 'hidden' || (box.width === 0 && box.height === 0)) continue;
      const stop = el instanceof HTMLInputElement && el.type === 'radio' && el.name ? `radio:${el.name}` : `el:${n++}`;
      el.dataset.kbd = stop;
      stops.add(stop);
    }
    // Start from the top of the document, as after a page load.
    (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, 0);
    return [...stops];
  });
  // The skip link is the first stop: begin there so one lap covers the page.
  await page.locator('.skip-link').focus();
  const reached = new Set<string>();
  const problems: string[] = [];
  const presses = Math.min(expected.length + 4, 160);
  for (let i = 0; i < presses; i++) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(async () => {
      // Scrolling to the focused control is smooth (unless motion is reduced): let it finish.
      let still = 0;
      for (let frame = 0, y = window.scrollY; frame < 90 && still < 3; frame++) {
        await new Promise((resolve) => requestAnimationFrame(resolve));
        still = window.scrollY === y ? still + 1 : 0;
        y = window.scrollY;
      }
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const name = `${el.tagName.toLowerCase()} “${(el.textContent || el.getAttribute('aria-label') || (el as HTMLInputElement).value || '').trim().slice(0, 40)}”`;
      const ringed = (style: CSSStyleDeclaration) =>
        style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 && style.outlineColor !== 'transparent';
      const label = el.id ? document.querySelector<HTMLElement>(`label[for="${CSS.escape(el.id)}"]`) : null;
      // A hidden file input shows its focus on the label that stands in as its button.
      const hiddenInput = el instanceof HTMLInputElement && el.type === 'file' && getComputedStyle(el).opacity === '0';
      const visible =
        ringed(getComputedStyle(el)) ||
        (el.classList.contains('card-link') && ringed(getComputedStyle(el, '::after'))) ||
        (hiddenInput && label !== null && ringed(getComputedStyle(label))) ||
        getComputedStyle(el).boxShadow !== 'none';
      // WCAG 2.4.11: the focused control is not hidden by author content (the sticky header, the bottom bar).
      const box = el.getBoundingClientRect();
      const x = Math.min(Math.max(box.left + box.width / 2, 0), window.innerWidth - 1);
      const y = Math.min(Math.max(box.top + Math.min(box.height, 40) / 2, 0), window.innerHeight - 1);
      const hit = document.elementFromPoint(x, y);
      const hidden =
        !hiddenInput && hit !== null && !el.contains(hit) && !hit.contains(el) && !(label && label.contains(hit));
      const by = hit && hidden ? `${hit.tagName.toLowerCase()}.${hit.getAttribute('class') ?? ''}` : undefined;
      return { stop: el.dataset.kbd ?? null, name, visible, hidden, by };
    });
    if (!stop) continue;
    if (stop.stop) reached.add(stop.stop);
    if (!stop.visible) problems.push(`no visible focus ring on ${stop.name}`);
    if (stop.hidden) problems.push(`${stop.name} is hidden under ${String(stop.by)} when focused`);
  }
  const missed = expected.filter((e) => !reached.has(e));
  const names = await page.evaluate(
    (ids) =>
      ids.map((id) => {
        const el = document.querySelector<HTMLElement>(`[data-kbd="${id}"]`);
        return el
          ? `${el.tagName.toLowerCase()} “${(el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 40)}”`
          : id;
      }),
    missed,
  );
  expect.soft([...new Set(problems)], `${screen}: focus problems`).toEqual([]);
  expect.soft(names, `${screen}: controls Tab does not reach`).toEqual([]);
}

/**
 * Buttons, form controls and the links of the bars and forms (an error summary's links included, which sit
 * above the form): at least 24×24 CSS px (WCAG 2.5.8).
 */
async function expectTouchTargets(page: Page, screen: string): Promise<void> {
  const small = await page.evaluate(() => {
    const selector =
      'button, input:not([type="hidden"]), select, textarea, summary, .button, nav a, header a, form a, .error-summary a, .back-link a, .card-link, .card-actions a, .panel-links a, .reminder-actions a';
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>(selector)) {
      if (el.classList.contains('skip-link') || el.closest('.visually-hidden')) continue;
      if (getComputedStyle(el).visibility === 'hidden') continue;
      let box = el.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      // A radio or a checkbox is operated through its whole label, a hidden file input through the
      // label that is its button, a card's link through the whole card.
      const label =
        el instanceof HTMLInputElement && ['radio', 'checkbox', 'file'].includes(el.type)
          ? (el.closest('label') ?? (el.id ? document.querySelector(`label[for="${CSS.escape(el.id)}"]`) : null))
          : null;
      if (label) box = label.getBoundingClientRect();
      if (el.classList.contains('card-link')) box = (el.closest('.card') ?? el).getBoundingClientRect();
      if (box.width < 24 || box.height < 24) {
        out.push(
          `${el.tagName.toLowerCase()}.${el.className} “${(el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 30)}” ${Math.round(box.width)}×${Math.round(box.height)}`,
        );
      }
    }
    return out;
  });
  expect.soft(small, `${screen}: touch targets under 24×24 CSS px`).toEqual([]);
}

/** With "reduce motion", no transition or animation lasts longer than ~0.01 s, and scrolling jumps. */
async function expectReducedMotion(page: Page, screen: string): Promise<void> {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  const moving = await page.evaluate(() => {
    const seconds = (value: string) =>
      Math.max(
        0,
        ...value.split(',').map((part) => {
          const v = part.trim();
          return v.endsWith('ms') ? parseFloat(v) / 1000 : parseFloat(v);
        }),
      );
    const out: string[] = [];
    if (getComputedStyle(document.documentElement).scrollBehavior === 'smooth') out.push('html scrolls smoothly');
    for (const el of document.querySelectorAll<HTMLElement>('body, body *')) {
      for (const pseudo of [null, '::before', '::after']) {
        const style = getComputedStyle(el, pseudo);
        const transition = seconds(style.transitionDuration) + seconds(style.transitionDelay);
        const animation = style.animationName === 'none' ? 0 : seconds(style.animationDuration);
        if (transition > 0.01 || animation > 0.01) {
          out.push(`${el.tagName.toLowerCase()}.${el.className}${pseudo ?? ''}: ${transition}s / ${animation}s`);
        }
      }
    }
    return out;
  });
  await page.emulateMedia({ reducedMotion: null });
  expect.soft(moving, `${screen}: motion despite prefers-reduced-motion`).toEqual([]);
}

/**
 * Text at 200 % (the root font size, which every rem-based size follows):
 * no sideways scrolling, no text clipped by a box that hides its overflow,
 * nothing pushed off the screen's edge, and the sticky header and fixed bar
 * leave most of the screen to the content.
 */
async function expectTextResizes(page: Page, screen: string): Promise<void> {
  await page.evaluate(async () => {
    document.documentElement.style.fontSize = '200%';
    // Two frames: the shell re-measures its bars after layout (ResizeObserver).
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  });
  const problems = await page.evaluate(() => {
    const out: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth) out.push(`page is ${root.scrollWidth} px wide in ${root.clientWidth}`);
    const describe = (el: Element) =>
      `${el.tagName.toLowerCase()}.${el.className} “${(el.textContent ?? '').trim().slice(0, 30)}”`;
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      if (el.closest('.visually-hidden, .skip-link, svg, .search-excerpt')) continue;
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.display === 'contents' || style.opacity === '0') continue;
      const clipsX = style.overflowX === 'hidden' || style.overflowX === 'clip';
      const clipsY = style.overflowY === 'hidden' || style.overflowY === 'clip';
      if (clipsX && el.scrollWidth > el.clientWidth + 1) out.push(`${describe(el)} clips its text sideways`);
      if (clipsY && el.scrollHeight > el.clientHeight + 1) out.push(`${describe(el)} clips its text below`);
      if (style.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth) out.push(`${describe(el)} is cut`);
      let scroller = el.parentElement;
      while (scroller && !['auto', 'scroll'].includes(getComputedStyle(scroller).overflowX)) {
        scroller = scroller.parentElement;
      }
      const box = el.getBoundingClientRect();
      if (!scroller && box.width > 0 && (box.right > root.clientWidth + 1 || box.left < -1)) {
        out.push(`${describe(el)} reaches past the screen's edge (${Math.round(box.left)}–${Math.round(box.right)})`);
      }
    }
    // Only bars that stay on screen while scrolling take space from the content.
    const pinned = (selector: string) => {
      const bar = document.querySelector(selector);
      if (!bar || !['sticky', 'fixed'].includes(getComputedStyle(bar).position)) return 0;
      return bar.getBoundingClientRect().height;
    };
    const header = pinned('.header');
    const nav = pinned('.nav');
    if (header + nav > window.innerHeight / 2) {
      out.push(`header (${Math.round(header)} px) and bar (${Math.round(nav)} px) cover half the screen`);
    }
    return out;
  });
  await page.evaluate(() => {
    document.documentElement.style.removeProperty('font-size');
  });
  expect.soft([...new Set(problems)], `${screen}: content lost at 200 % text`).toEqual([]);
}

/**
 * Resolves once the page has stopped scrolling (three still frames). Focusing an error summary scrolls
 * smoothly to it; measured mid-scroll, its links pass under the sticky header and axe's target-size
 * rule sees them covered.
 */
async function scrollSettled(page: Page): Promise<void> {
  await page.evaluate(async () => {
    let still = 0;
    for (let frame = 0, y = window.scrollY; frame < 120 && still < 3; frame++) {
      await new Promise((resolve) => requestAnimationFrame(resolve));
      still = window.scrollY === y ? still + 1 : 0;
      y = window.scrollY;
    }
  });
}

async function checkScreen(page: Page, lng: Lng, screen: string): Promise<void> {
  const name = `${screen} (${lng})`;
  await expect(page.locator('html')).toHaveAttribute('lang', lng);
  await expect(page.locator('html')).toHaveAttribute('dir', lng === 'fa' ? 'rtl' : 'ltr');
  await scrollSettled(page);
  await expectNoSeriousAxeViolations(page, name);
  await expectNoHorizontalScroll(page, name);
  await expectTouchTargets(page, name);
  await expectReducedMotion(page, name);
  await expectTextResizes(page, name);
  // Focus scrolling is instant with reduced motion, which keeps the many Tab presses quick.
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await expectKeyboardOperable(page, name);
  await page.emulateMedia({ reducedMotion: null });
}

const h1 = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });

// ---- Every screen, in English and in Persian ----

for (const lng of ['en', 'fa'] as const) {
  test.describe(`${lng}`, () => {
    test.use({ locale: DEVICE_LOCALE[lng], viewport: { width: 360, height: 640 } });

    test(`every participant screen passes axe, fits 360 px, works by keyboard, with 200 % text and without motion (${lng})`, async ({
      page,
      request,
      baseURL,
    }) => {
      test.setTimeout(420_000);
      const data = await content(request, baseURL!);
      const t = (key: string, vars?: Record<string, string | number>) => s(lng, key, vars);

      // The device's language is the default.
      await page.goto('/');
      await expect(h1(page, t('workshops:workshops.title'))).toBeVisible();
      await expect(page.getByRole('link', { name: DEMO_WORKSHOP }).first()).toBeVisible({ timeout: 30_000 });
      if (lng === 'fa') {
        // Mirrored: the brand sits at the right end of the header, the first tab of the bar at its right end.
        const brand = await page.locator('.brand').boundingBox();
        const pill = await page.locator('.pill').boundingBox();
        expect(brand!.x).toBeGreaterThan(pill!.x);
        const first = await page.locator('.nav-item').first().boundingBox();
        const last = await page.locator('.nav-item').last().boundingBox();
        expect(first!.x).toBeGreaterThan(last!.x);
        // English titles inside the Persian list are marked as such and set their own direction.
        const card = page.locator('.card-title', { hasText: DEMO_WORKSHOP }).first();
        await expect(card).toHaveAttribute('lang', 'en');
        await expect(card).toHaveAttribute('dir', 'auto');
      }
      await checkScreen(page, lng, 'workshop list');

      await page.goto('/enrol');
      await expect(h1(page, t('enrol:enroll.title'))).toBeVisible();
      await checkScreen(page, lng, 'enrol');
      await page.getByRole('button', { name: t('enrol:enroll.submit'), exact: true }).click();
      await expect(page.getByRole('alert')).toBeVisible();
      await checkScreen(page, lng, 'enrol with an error');

      await enrol(page, lng, data);
      await checkScreen(page, lng, 'enrolled');

      await page.goto(`/workshops/${data.workshopId}`);
      await expect(h1(page, data.title)).toBeVisible({ timeout: 30_000 });
      await expect(page.getByRole('heading', { level: 2, name: t('followup:panel.title') })).toBeVisible();
      if (lng === 'fa') {
        await expect(page.getByText(t('common:content.fallback', { language: 'فارسی' }))).toBeVisible();
        await expect(h1(page, data.title)).toHaveAttribute('lang', 'en');
      }
      await checkScreen(page, lng, 'workshop detail with follow-up');

      await page.goto(`/workshops/${hsWorkshop.id}`);
      await expect(h1(page, DEMO_WORKSHOP)).toBeVisible();
      await expect(page.getByRole('heading', { level: 2, name: t('common:agenda.title') })).toBeVisible();
      await expect(page.locator('.session').first()).toBeVisible();
      await checkScreen(page, lng, 'agenda and materials');

      await page.goto(`/materials/${hsMaterial.id}`);
      await expect(h1(page, hsMaterial.title)).toBeVisible();
      await checkScreen(page, lng, 'material');

      await page.goto('/tools');
      await expect(h1(page, t('tools:tools.title'))).toBeVisible();
      await expect(page.locator('main .card-link').first()).toBeVisible({ timeout: 30_000 });
      await checkScreen(page, lng, 'tools list');

      await page.goto(`/tools/${data.toolSlug}`);
      await expect(h1(page, data.toolTitle)).toBeVisible();
      if (lng === 'fa') {
        // No Persian translation: the English is shown, said so, and marked as English.
        await expect(page.getByText(t('common:content.fallback', { language: 'فارسی' }))).toBeVisible();
        await expect(page.locator('.prose')).toHaveAttribute('lang', 'en');
      } else {
        await expect(page.locator('.content-fallback')).toHaveCount(0);
      }
      await checkScreen(page, lng, 'tool summary');

      await page.goto('/search?q=HS');
      await expect(page.locator('.search-results .card-link').first()).toBeVisible({ timeout: 15_000 });
      await checkScreen(page, lng, 'search');

      await page.goto('/storage');
      await expect(h1(page, t('storage:storage.title'))).toBeVisible();
      await checkScreen(page, lng, 'storage');

      await page.goto('/settings');
      await expect(h1(page, t('settings:settings.title'))).toBeVisible();
      await expect(page.getByRole('heading', { level: 2, name: t('settings:settings.storage') })).toBeVisible();
      await checkScreen(page, lng, 'settings');

      await page.goto(`/workshops/${data.workshopId}/follow-up/new`);
      await expect(h1(page, t('followup:form.newTitle'))).toBeVisible({ timeout: 30_000 });
      await checkScreen(page, lng, 'action form');
      await page.getByRole('button', { name: t('followup:form.save'), exact: true }).click();
      await expect(page.getByRole('alert').first()).toBeVisible();
      // The form moves focus to its error summary (and scrolls there) a frame after showing it.
      await expect(page.locator('.error-summary')).toBeFocused();
      await expect(page.locator('.error-summary a[href$="#action-kind"]')).toBeVisible();
      await checkScreen(page, lng, 'action form with errors');

      await logAction(page, lng, data.workshopId, `Outreach session with customs brokers (${lng})`);
      await checkScreen(page, lng, 'follow-up log');

      await page.goto('/follow-up');
      await expect(h1(page, t('form:home.title'))).toBeVisible();
      if (lng === 'fa') {
        // Counts and dates in a Persian sentence are written in Persian digits.
        const panel = page.locator('.panel-links').first();
        await expect(panel).toContainText(/[۰-۹]/);
        await expect(panel).not.toContainText(/[0-9]/);
      }
      await checkScreen(page, lng, 'my follow-up');

      await page.goto(`/workshops/${data.workshopId}/survey`);
      await expect(h1(page, t('survey:survey.title'))).toBeVisible();
      await expect(page.getByRole('button', { name: t('survey:survey.submit'), exact: true })).toBeVisible();
      await checkScreen(page, lng, 'survey');
      await page.getByRole('button', { name: t('survey:survey.submit'), exact: true }).click();
      await expect(page.locator('#q-effects-error')).toHaveText(t('form:errors.answerRequired'));
      await checkScreen(page, lng, 'survey with errors');

      await page.goto(`/workshops/${data.workshopId}/evaluation`);
      await expect(h1(page, t('evaluation:evaluation.title'))).toBeVisible();
      await checkScreen(page, lng, 'evaluation');

      await page.goto('/follow-up/changes');
      await expect(h1(page, t('conflicts:changes.title'))).toBeVisible();
      await checkScreen(page, lng, 'changes');

      await page.goto('/no-such-screen');
      await expect(h1(page, t('common:notFound.title'))).toBeVisible();
      await checkScreen(page, lng, 'not found');
    });
  });
}

// ---- Screenshots for people to look at ----

const SHOTS = path.resolve('test-results/screenshots');

test.describe('screenshots', () => {
  test.use({ viewport: { width: 360, height: 640 }, deviceScaleFactor: 2 });

  test('the main screens at 360 px in English, French and Persian', async ({ page, request, baseURL }) => {
    test.setTimeout(240_000);
    const data = await content(request, baseURL!);
    mkdirSync(SHOTS, { recursive: true });
    await enrol(page, 'en', data);
    await logAction(page, 'en', data.workshopId, 'Briefed the audit unit on the risk matrix (12 officers)');

    for (const lng of ['en', 'fr', 'fa'] as const) {
      const t = (key: string) => s(lng, key);
      if (lng !== 'en') {
        await page.goto('/settings');
        await page.getByLabel(lng === 'fr' ? 'Français' : 'فارسی').check();
        await expect(page.locator('html')).toHaveAttribute('lang', lng);
      }
      const title = lng === 'fr' ? data.titleFr : data.title;
      const shots: [string, string, () => Promise<void>][] = [
        ['workshops', '/', () => expect(page.getByRole('link', { name: DEMO_WORKSHOP }).first()).toBeVisible()],
        ['workshop', `/workshops/${data.workshopId}`, () => expect(h1(page, title)).toBeVisible()],
        [
          'agenda',
          `/workshops/${hsWorkshop.id}`,
          () => expect(page.locator('.session').first()).toBeVisible({ timeout: 15_000 }),
        ],
        [
          'tool',
          `/tools/${data.toolSlug}`,
          () => expect(h1(page, lng === 'fr' ? data.toolTitleFr : data.toolTitle)).toBeVisible(),
        ],
        ['settings', '/settings', () => expect(h1(page, t('settings:settings.title'))).toBeVisible()],
        [
          'survey',
          `/workshops/${data.workshopId}/survey`,
          () => expect(page.getByRole('button', { name: t('survey:survey.submit'), exact: true })).toBeVisible(),
        ],
        [
          'follow-up-log',
          `/workshops/${data.workshopId}/follow-up`,
          () => expect(page.locator('.action-card').first()).toBeVisible(),
        ],
      ];
      for (const [name, url, ready] of shots) {
        await page.goto(url);
        await ready();
        await expect(page.locator('html')).toHaveAttribute('dir', lng === 'fa' ? 'rtl' : 'ltr');
        // A phone as tall as the screen's content: a full-page capture of a mobile page would leave the
        // sticky header and the fixed bar stranded at the first screenful's scroll position.
        await page.evaluate(() => window.scrollTo(0, 0));
        const height = await page.evaluate(() => document.documentElement.scrollHeight);
        await page.setViewportSize({ width: 360, height });
        await page.screenshot({ path: path.join(SHOTS, `${lng}-${name}.png`), animations: 'disabled' });
        await page.setViewportSize({ width: 360, height: 640 });
      }
    }
  });
});
