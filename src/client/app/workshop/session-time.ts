/**
 * A session's time on the phone's own clock, shown under the workshop's
 * time when the two differ (the seed's online workshops ran on Bangkok time
 * for participants from Colombo to Apia). When the session falls on another
 * date on the phone, the day is written too, because "14:00 on your phone"
 * would otherwise mean the wrong afternoon.
 */
import { onOtherClock } from '../../../shared/domain/time-zones';
import { formatTimeRange, intlLocale } from '../../i18n/format';

const dayAndTime = new Map<string, Intl.DateTimeFormat>();

function dayAndTimeFormat(language: string, timeZone: string): Intl.DateTimeFormat {
  const key = `${language}|${timeZone}`;
  let format = dayAndTime.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(intlLocale(language), {
      timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
    });
    dayAndTime.set(key, format);
  }
  return format;
}

/** "16:00–17:00", or "Sun 17 Oct, 14:00–15:30" on another day; null when the phone reads the workshop's time. */
export function phoneTime(
  language: string,
  session: { date: string; start: string; end: string },
  workshopZone: string,
  phoneZone: string,
): string | null {
  const other = onOtherClock(session, workshopZone, phoneZone);
  if (!other) return null;
  return other.otherDay
    ? dayAndTimeFormat(language, phoneZone).formatRange(other.start, other.end)
    : formatTimeRange(language, other.start, other.end, phoneZone);
}
