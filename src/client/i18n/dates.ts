/**
 * Dates written the reader's way, for the follow-up, search and changes
 * screens. Survey and evaluation dates belong to the workshop's calendar
 * (the survey opens at midnight in Suva), so they are formatted in the
 * workshop's zone; the participant's own action dates are plain calendar
 * days.
 */
import { intlLocale, zonedInstant } from './format';

/** "12 May 2022" for an ISO date, on the given zone's calendar. */
export function formatIsoDate(language: string, date: string, timeZone = 'UTC'): string {
  return new Intl.DateTimeFormat(intlLocale(language), {
    timeZone,
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(zonedInstant(date, '12:00', timeZone));
}

/** "12 May 2022, 14:05" for an instant, in the phone's zone. */
export function formatInstant(language: string, iso: string): string {
  return new Intl.DateTimeFormat(intlLocale(language), { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(iso),
  );
}

/** Today's date on the phone's calendar, as the default date of a new action. */
export function todayOnDevice(now: Date = new Date()): string {
  const y = now.getFullYear();
  const m = String(now.getMonth() + 1).padStart(2, '0');
  const d = String(now.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}
