/**
 * How i18next writes the values it puts into sentences. Counts and other
 * numbers follow the sentence's language ("۳ پرونده" in Persian, "4 000" in
 * French) instead of always Latin digits; dates, sizes and names arrive
 * already formatted (format.ts) and pass through untouched. The app and the
 * unit tests of the locale files share these options, so the tests read the
 * strings exactly as a phone shows them.
 */
import type { FormatterModule, InitOptions } from 'i18next';
import { formatNumber } from './format';

export const localeFormatter: FormatterModule = {
  type: 'formatter',
  init() {},
  // The strings use no named formats besides "number"; nothing to register.
  add() {},
  addCached() {},
  format(value: unknown, format?: string, lng?: string): string {
    // Anything but a number passes through as given: i18next itself treats
    // an undefined value as a missing placeholder.
    if (typeof value !== 'number' || (format !== undefined && format !== 'number')) return value as string;
    return formatNumber(lng ?? 'en', value);
  },
};

/**
 * Interpolation shared by the app and the tests. `alwaysFormat` sends plain
 * {{count}} placeholders through the formatter above too, so translators
 * need not write {{count, number}} in every string.
 */
export const interpolationOptions: NonNullable<InitOptions['interpolation']> = {
  escapeValue: false,
  alwaysFormat: true,
};
