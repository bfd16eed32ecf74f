/**
 * "10:42", "3 Mar, 10:42", or "23 May 2021" for another year: replies,
 * syncs and code expiries can be years old in the workspace, unlike on a
 * participant's phone.
 */
import { formatMoment, intlLocale } from '../../client/i18n/format';

export function formatWhen(locale: string, iso: string, now: Date = new Date()): string {
  const at = new Date(iso);
  if (at.getFullYear() === now.getFullYear()) return formatMoment(locale, iso, now);
  return new Intl.DateTimeFormat(intlLocale(locale), { day: 'numeric', month: 'short', year: 'numeric' }).format(at);
}
