/**
 * The follow-up clock, kept on the device: when a workshop's 6-month survey
 * opens, when it is due, and what reminder to show now. Computed from the
 * stored workshop dates alone so it works after months offline. Pure.
 */
import type { Workshop } from '../schemas/workshop';
import { addDays, addMonths, zonedInstant } from './time-zones';

export type SurveyPhase = 'not-yet' | 'open' | 'due-soon' | 'overdue';

export interface SurveyWindow {
  /** First day the survey can be answered, in the workshop's zone. */
  opensOn: string;
  /** Last day before it counts as late (late replies are still welcome). */
  dueOn: string;
  opensAt: Date;
  /** End of the due day in the workshop's zone. */
  dueAt: Date;
  phase: SurveyPhase;
  /** Whole days until the due instant (negative once overdue). */
  daysLeft: number;
}

/** Reminders turn urgent this many days before the due date. */
export const DUE_SOON_DAYS = 7;

type SurveyTiming = Pick<Workshop, 'endDate' | 'timeZone' | 'surveyOpensAfterMonths' | 'surveyDueAfterDays'>;

export function surveyWindow(w: SurveyTiming, now: Date): SurveyWindow {
  const opensOn = addMonths(w.endDate, w.surveyOpensAfterMonths);
  const dueOn = addDays(opensOn, w.surveyDueAfterDays);
  const opensAt = zonedInstant(opensOn, '00:00', w.timeZone);
  const dueAt = zonedInstant(addDays(dueOn, 1), '00:00', w.timeZone);
  const msLeft = dueAt.getTime() - now.getTime();
  const daysLeft = Math.ceil(msLeft / 86_400_000);
  let phase: SurveyPhase;
  if (now < opensAt) phase = 'not-yet';
  else if (msLeft <= 0) phase = 'overdue';
  else if (daysLeft <= DUE_SOON_DAYS) phase = 'due-soon';
  else phase = 'open';
  return { opensOn, dueOn, opensAt, dueAt, phase, daysLeft };
}

/** The end-of-workshop evaluation opens at the start of the last day, in the workshop's zone. */
export function evaluationOpen(w: Pick<Workshop, 'endDate' | 'timeZone'>, now: Date): boolean {
  return now >= zonedInstant(w.endDate, '00:00', w.timeZone);
}
