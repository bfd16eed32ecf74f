/**
 * The follow-up survey as an iCalendar (.ics) file for the phone's own
 * calendar: one all-day event from the day the survey opens to its due
 * date, with alarms (VALARM) when it opens, a week and two days before it is
 * due and on the due day, at 09:00 on the phone's clock. Once imported, the
 * calendar reminds its owner with no network and no app open, which is the
 * channel that still works for a participant far from any signal. The UID
 * is the workshop's, so importing the file again replaces the event.
 * Built on the device, offline; RFC 5545 rules as in shared/domain/icalendar.
 */
import { createEvents, type Alarm, type DateArray } from 'ics';
import { escapeIcsText, foldIcs } from '../../../shared/domain/icalendar';
import { surveyWindow } from '../../../shared/domain/survey-window';
import { addDays } from '../../../shared/domain/time-zones';
import type { Workshop } from '../../../shared/schemas/workshop';

export interface SurveyCalendarText {
  /** Event title: "Follow-up survey: <workshop>". */
  title: string;
  /** Event description, with the link that opens the survey. */
  description: string;
  /** What each alarm says. */
  opens: string;
  dueIn: (days: number) => string;
  dueToday: string;
}

type CalendarWorkshop = Pick<
  Workshop,
  'id' | 'title' | 'endDate' | 'timeZone' | 'surveyOpensAfterMonths' | 'surveyDueAfterDays'
>;

/** Days before the due date that an alarm rings, beside the opening day and the due day. */
export const ALARM_DAYS_BEFORE_DUE = [7, 2] as const;

const ALARM_HOUR = 9;
const DAY_MS = 86_400_000;

const dateArray = (iso: string): DateArray => iso.split('-').map(Number) as DateArray;
const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);

export function surveyCalendar(workshop: CalendarWorkshop, surveyUrl: string, text: SurveyCalendarText): string {
  const { opensOn, dueOn } = surveyWindow(workshop, new Date(0));
  const span = daysBetween(opensOn, dueOn);
  // Alarms are relative to the event's start (midnight of the opening day on the phone's calendar).
  const at = (dayOffset: number, description: string): Alarm => ({
    action: 'display',
    description,
    trigger: { days: dayOffset, hours: ALARM_HOUR, before: false },
  });
  const alarms: Alarm[] = [
    at(0, text.opens),
    ...ALARM_DAYS_BEFORE_DUE.filter((d) => d < span).map((d) => at(span - d, text.dueIn(d))),
    at(span, text.dueToday),
  ];
  const { error, value } = createEvents(
    [
      {
        uid: `survey-${workshop.id}@vaka`,
        title: text.title,
        description: text.description,
        url: surveyUrl,
        start: dateArray(opensOn),
        end: dateArray(addDays(dueOn, 1)),
        status: 'CONFIRMED',
        busyStatus: 'FREE',
        transp: 'TRANSPARENT',
        alarms,
      },
    ],
    { productId: '-//Vaka//Follow-up survey//EN', calName: escapeIcsText(text.title) },
  );
  if (error || value === null) throw error ?? new Error('Could not build the calendar file');
  return foldIcs(value);
}
