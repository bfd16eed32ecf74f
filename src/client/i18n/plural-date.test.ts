/**
 * Plurals, counts and dates as each language writes them, read from the
 * real locale files through the app's own i18next options (formatter.ts)
 * and format helpers: French and Portuguese treat 0 as singular, English
 * does not; Persian writes Persian digits and dates in its own calendar;
 * a count inside a sentence uses the sentence's digits and separators.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createInstance, type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatIsoDate } from './dates';
import {
  formatBytes,
  formatDateRange,
  formatDay,
  formatNumber,
  formatTimeRange,
  isolate,
  zonedInstant,
} from './format';
import { interpolationOptions, localeFormatter } from './formatter';
import { LANGUAGES } from './languages';

const root = path.resolve(__dirname, '../../../locales');

async function translator(lng: string): Promise<TFunction> {
  const namespaces: Record<string, object> = {};
  for (const file of readdirSync(path.join(root, lng)).filter((f) => f.endsWith('.json'))) {
    namespaces[file.replace(/\.json$/, '')] = JSON.parse(readFileSync(path.join(root, lng, file), 'utf8')) as object;
  }
  const i18n = createInstance();
  await i18n.use(localeFormatter).init({
    lng,
    resources: { [lng]: namespaces },
    ns: Object.keys(namespaces),
    defaultNS: 'common',
    fallbackLng: false,
    interpolation: interpolationOptions,
  });
  return i18n.t;
}

const t = new Map<string, TFunction>();
beforeAll(async () => {
  for (const { code } of LANGUAGES) t.set(code, await translator(code));
});
const tr = (lng: string) => t.get(lng)!;

/** Unicode's Persian digits, and the Latin ones. */
const PERSIAN_DIGIT = /[۰-۹]/;
const LATIN_DIGIT = /[0-9]/;

describe('plural forms', () => {
  it('English: one for 1 only', () => {
    expect(tr('en')('followup:panel.actions', { count: 0 })).toBe('0 actions');
    expect(tr('en')('followup:panel.actions', { count: 1 })).toBe('1 action');
    expect(tr('en')('followup:panel.actions', { count: 2 })).toBe('2 actions');
    expect(tr('en')('search:search.results', { count: 1, query: 'HS' })).toBe('1 result for “HS”.');
    expect(tr('en')('form:problemsTitle', { count: 3 })).toBe('Please fix 3 problems:');
  });

  it('French: 0 and 1 are singular', () => {
    expect(tr('fr')('followup:panel.actions', { count: 0 })).toBe('0 action');
    expect(tr('fr')('followup:panel.actions', { count: 1 })).toBe('1 action');
    expect(tr('fr')('followup:panel.actions', { count: 2 })).toBe('2 actions');
    expect(tr('fr')('form:problemsTitle', { count: 0 })).toBe('Veuillez corriger 0 problème\u00a0:');
    expect(tr('fr')('search:search.results', { count: 3, query: 'SH' })).toBe('3 résultats pour «\u00a0SH\u00a0».');
  });

  it('Portuguese: 0 and 1 are singular', () => {
    expect(tr('pt')('followup:panel.actions', { count: 0 })).toBe('0 ação');
    expect(tr('pt')('followup:panel.actions', { count: 1 })).toBe('1 ação');
    expect(tr('pt')('followup:panel.actions', { count: 5 })).toBe('5 ações');
  });

  it('Persian: the noun does not change after a number, and the number is in Persian digits', () => {
    expect(tr('fa')('followup:panel.actions', { count: 1 })).toBe('۱ اقدام');
    expect(tr('fa')('followup:panel.actions', { count: 12 })).toBe('۱۲ اقدام');
    expect(tr('fa')('common:sync.waiting', { count: 3 })).toBe('۳ مورد در انتظار ارسال');
    expect(tr('fa')('form:problemsTitle', { count: 2 })).toBe('لطفاً ۲ مشکل را برطرف کنید:');
  });

  it('every language picks a form that exists for 0, 1, 2, 5 and a million', () => {
    for (const { code } of LANGUAGES) {
      for (const count of [0, 1, 2, 5, 1_000_000]) {
        const text = tr(code)('followup:panel.actions', { count });
        expect(text, `${code} ${count}`).not.toMatch(/panel\.actions|\{\{/);
        expect(text, `${code} ${count}`).toContain(formatNumber(code, count));
      }
    }
  });
});

describe('numbers inside sentences', () => {
  it('use each language’s digits and separators', () => {
    expect(tr('en')('followup:panel.actions', { count: 1234 })).toBe('1,234 actions');
    expect(tr('fr')('followup:panel.actions', { count: 1234 })).toMatch(/^1\s234 actions$/u);
    expect(tr('pt')('followup:panel.actions', { count: 1234 })).toBe('1.234 ações');
    expect(tr('fa')('followup:panel.actions', { count: 1234 })).toBe('۱٬۲۳۴ اقدام');
  });

  it('leave text values alone, even ones made of digits', () => {
    expect(tr('fa')('search:search.results', { count: 1, query: '2022' })).toContain('«2022»');
    expect(tr('en')('coordinator:workshops.fiscalYear', { year: '2021/22' })).toBe('Fiscal year 2021/22');
  });

  it('keep an isolated English value whole inside a Persian sentence', () => {
    const sentence = tr('fa')('search:search.results', { count: 2, query: isolate('HS 2022') });
    expect(sentence).toContain('«\u2068HS 2022\u2069»');
    expect(sentence).toMatch(/^۲ /);
    expect(tr('fa')('followup:log.audience', { audience: isolate('Audit unit') })).toContain('\u2068Audit unit\u2069');
  });

  it('keep Persian sentences free of Latin digits', () => {
    const text = tr('fa')('survey:survey.window.dueSoon', { count: 3, due: formatIsoDate('fa', '2022-06-14') });
    expect(text).toMatch(PERSIAN_DIGIT);
    expect(text).not.toMatch(LATIN_DIGIT);
  });
});

describe('dates and sizes', () => {
  const fiji = 'Pacific/Fiji';

  it('write a workshop’s dates in each language', () => {
    expect(formatDateRange('en', '2021-11-09', '2021-11-11', fiji)).toMatch(
      /^(Nov 9\s*–\s*11, 2021|9\s*–\s*11 Nov 2021)$/,
    );
    expect(formatDateRange('fr', '2021-11-09', '2021-11-11', fiji)).toMatch(/^9\s*–\s*11 nov\. 2021$/);
    expect(formatDateRange('pt', '2021-11-09', '2021-11-11', fiji)).toMatch(/^9\s*–\s*11 de nov\. de 2021$/);
    // Persian: the solar hijri calendar (9 November 2021 is 18 Aban 1400), in Persian digits.
    expect(formatDateRange('fa', '2021-11-09', '2021-11-11', fiji)).toMatch(/^۱۸\s*تا\s*۲۰ آبان ۱۴۰۰$/);
  });

  it('write a day heading and a plain date', () => {
    expect(formatDay('fr', '2021-11-09', fiji)).toBe('mardi 9 novembre');
    expect(formatDay('pt', '2021-11-09', fiji)).toBe('terça-feira, 9 de novembro');
    expect(formatIsoDate('en', '2022-03-21')).toMatch(/^(21 March 2022|March 21, 2022)$/);
    expect(formatIsoDate('fr', '2022-03-21')).toBe('21 mars 2022');
    expect(formatIsoDate('pt', '2022-03-21')).toBe('21 de março de 2022');
    expect(formatIsoDate('fa', '2022-03-21')).toBe('۱ فروردین ۱۴۰۱');
  });

  it('write agenda times on the workshop’s clock, in the reader’s digits', () => {
    const start = zonedInstant('2021-11-09', '09:30', fiji);
    const end = zonedInstant('2021-11-09', '11:00', fiji);
    expect(formatTimeRange('fr', start, end, fiji)).toMatch(/^09:30\s*–\s*11:00$/);
    expect(formatTimeRange('fa', start, end, fiji)).toMatch(/^۰?۹:۳۰\s*تا\s*۱۱:۰۰$/);
  });

  it('write sizes with the language’s decimal mark', () => {
    expect(formatBytes('en', 2_400_000)).toBe('2.4 MB');
    expect(formatBytes('fr', 2_400_000)).toMatch(/^2,4\sMo$/u);
    expect(formatBytes('pt', 2_400_000)).toMatch(/^2,4\sMB$/u);
    expect(formatBytes('fa', 2_400_000)).toMatch(PERSIAN_DIGIT);
    expect(formatBytes('fa', 2_400_000)).not.toMatch(LATIN_DIGIT);
  });
});
