/**
 * When the follow-up round's messages fall due for one participant: the
 * invitation when the survey opens, reminders a set number of days before the
 * due date, a last call on the due date and the feedback once the coordinator
 * publishes the results. Every send time is a civil hour on the participant's
 * own clock (their administration's zone, else the workshop's), so a Tongan
 * officer is not woken by a Geneva-timed reminder. Rounds that closed before
 * the participant was added, or before the messages feature first ran, yield
 * nothing: switching the feature on over historic or demo data sends no
 * flood. Pure: the server's job runner turns this list into durable jobs.
 */
import type { Workshop } from '../schemas/workshop';
import { surveyWindow } from './survey-window';
import { addDays, dateInZone, zonedInstant, zoneOffsetMinutes } from './time-zones';

export const MESSAGE_KINDS = ['invitation', 'reminder', 'last-call', 'feedback'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** The office's habit: a reminder a week before the due date and another two days before. */
export const DEFAULT_REMINDER_DAYS = [7, 2] as const;

/** Messages go out from this local time on their day … */
export const CIVIL_START = '09:00';
/** … and never at or after this local hour (a late runner waits for the next morning). */
export const CIVIL_END_HOUR = 20;

/**
 * The zone of each member administration's headquarters (the capital's zone
 * where a country spans several), which is where its officers read mail.
 */
export const ADMINISTRATION_TIME_ZONES: Readonly<Record<string, string>> = {
  AF: 'Asia/Kabul',
  CN: 'Asia/Shanghai',
  HK: 'Asia/Hong_Kong',
  IR: 'Asia/Tehran',
  JP: 'Asia/Tokyo',
  KR: 'Asia/Seoul',
  MO: 'Asia/Macau',
  MN: 'Asia/Ulaanbaatar',
  PK: 'Asia/Karachi',
  AU: 'Australia/Sydney',
  FJ: 'Pacific/Fiji',
  NZ: 'Pacific/Auckland',
  PG: 'Pacific/Port_Moresby',
  WS: 'Pacific/Apia',
  TL: 'Asia/Dili',
  TO: 'Pacific/Tongatapu',
  VU: 'Pacific/Efate',
  BD: 'Asia/Dhaka',
  BT: 'Asia/Thimphu',
  IN: 'Asia/Kolkata',
  MV: 'Indian/Maldives',
  NP: 'Asia/Kathmandu',
  LK: 'Asia/Colombo',
  BN: 'Asia/Brunei',
  KH: 'Asia/Phnom_Penh',
  ID: 'Asia/Jakarta',
  LA: 'Asia/Vientiane',
  MY: 'Asia/Kuala_Lumpur',
  PH: 'Asia/Manila',
  SG: 'Asia/Singapore',
  TH: 'Asia/Bangkok',
  MM: 'Asia/Yangon',
  VN: 'Asia/Ho_Chi_Minh',
};

/** The participant's clock: their administration's zone, else the workshop's. */
export function participantTimeZone(memberCode: string | null | undefined, workshopZone: string): string {
  return (memberCode && ADMINISTRATION_TIME_ZONES[memberCode]) || workshopZone;
}

function localHour(instant: Date, zone: string): number {
  const local = new Date(instant.getTime() + zoneOffsetMinutes(zone, instant) * 60_000);
  return local.getUTCHours();
}

/** `at` itself if it falls within civil hours in `zone`, else the next CIVIL_START there. */
export function nextCivilInstant(at: Date, zone: string): Date {
  const hour = localHour(at, zone);
  const startHour = Number(CIVIL_START.slice(0, 2));
  if (hour >= startHour && hour < CIVIL_END_HOUR) return at;
  const today = dateInZone(at, zone);
  return zonedInstant(hour < startHour ? today : addDays(today, 1), CIVIL_START, zone);
}

export type SurveyedWorkshop = Pick<
  Workshop,
  'id' | 'endDate' | 'timeZone' | 'surveyOpensAfterMonths' | 'surveyDueAfterDays'
>;

export interface ScheduleInput {
  workshop: SurveyedWorkshop;
  /** Days before the due date; duplicates and days outside the window are ignored. */
  reminderDays?: readonly number[];
  /** The participant's zone, from participantTimeZone. */
  timeZone: string;
  /** When the participant was put on the roster (or first seen there). */
  addedAt: Date;
  /** When the messages feature first ran on this server. */
  featureStartedAt: Date;
  repliedAt: Date | null;
  unsubscribedAt: Date | null;
  /** When the coordinator published the round's results, if they have. */
  resultsPublishedAt: Date | null;
}

export interface PlannedMessage {
  kind: MessageKind;
  /** Unique within the round: `reminder-7` for the reminder 7 days before the due date. */
  key: string;
  sendAt: Date;
}

/**
 * Every message this participant is owed for this round, in send order,
 * whatever the time now (the runner picks those whose time has come).
 *
 * - No round at all when it closed (its due instant passed) before the later
 *   of addedAt and featureStartedAt.
 * - Nothing once they unsubscribed, except what was sent before (not listed here).
 * - Invitation at CIVIL_START on the opening day; someone added (or a feature
 *   switched on) after that gets it at the next civil instant instead, and the
 *   reminders whose time passed before then are skipped, not caught up.
 * - Reminders and the last call stop once they replied; the invitation too
 *   if they replied before it was due. Feedback goes whether they replied or not.
 */
export function plannedMessages(input: ScheduleInput): PlannedMessage[] {
  const { workshop, timeZone } = input;
  const window = surveyWindow(workshop, input.addedAt);
  const startedAt = new Date(Math.max(input.addedAt.getTime(), input.featureStartedAt.getTime()));
  if (window.dueAt <= startedAt) return [];
  if (input.unsubscribedAt) return [];

  const at = (date: string) => zonedInstant(date, CIVIL_START, timeZone);
  const stillAsking = (sendAt: Date) => !input.repliedAt || input.repliedAt > sendAt;
  const out: PlannedMessage[] = [];

  const invitationAt = at(window.opensOn) >= startedAt ? at(window.opensOn) : nextCivilInstant(startedAt, timeZone);
  if (stillAsking(invitationAt)) out.push({ kind: 'invitation', key: 'invitation', sendAt: invitationAt });

  const days = [...new Set(input.reminderDays ?? DEFAULT_REMINDER_DAYS)]
    .filter((d) => Number.isInteger(d) && d > 0 && d < workshop.surveyDueAfterDays)
    .sort((a, b) => b - a);
  for (const d of days) {
    const sendAt = at(addDays(window.dueOn, -d));
    if (sendAt > invitationAt && stillAsking(sendAt)) out.push({ kind: 'reminder', key: `reminder-${d}`, sendAt });
  }
  const lastCallAt = at(window.dueOn);
  if (lastCallAt > invitationAt && stillAsking(lastCallAt))
    out.push({ kind: 'last-call', key: 'last-call', sendAt: lastCallAt });

  if (input.resultsPublishedAt) {
    const from = new Date(Math.max(input.resultsPublishedAt.getTime(), startedAt.getTime()));
    out.push({ kind: 'feedback', key: 'feedback', sendAt: nextCivilInstant(from, timeZone) });
  }
  return out;
}

/**
 * What to send at `now`: planned messages whose time has come, minus the
 * invitation-to-last-call messages already overtaken by a later one (a server
 * that was down for a week sends the latest reminder, not all of them). The
 * invitation is never overtaken: it carries the way in. Once the round has
 * closed no reminder or last call goes out late.
 */
export function dueMessages(input: ScheduleInput, now: Date): PlannedMessage[] {
  const closed = now >= surveyWindow(input.workshop, now).dueAt;
  const isNudge = (m: PlannedMessage) => m.kind === 'reminder' || m.kind === 'last-call';
  const planned = plannedMessages(input).filter((m) => m.sendAt <= now && !(closed && isNudge(m)));
  const latest = planned.filter(isNudge).at(-1);
  return planned.filter((m) => !isNudge(m) || m === latest);
}
