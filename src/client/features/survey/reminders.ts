/**
 * Which survey reminders to show now, worked out on the device from the
 * stored workshop dates (src/shared/domain/survey-window.ts), so they appear
 * on time after months offline: one per attended workshop whose survey is
 * open and not yet submitted. "Later" hides a reminder until its phase
 * changes (open → due soon → overdue), so it comes back as the due date
 * nears. Pure.
 */
import { DUE_SOON_DAYS, surveyWindow, type SurveyPhase } from '../../../shared/domain/survey-window';
import type { Workshop } from '../../../shared/schemas/workshop';

export interface SurveyReminder {
  workshopId: string;
  phase: Exclude<SurveyPhase, 'not-yet'>;
  opensOn: string;
  dueOn: string;
  daysLeft: number;
  dueAt: Date;
}

type Timing = Pick<Workshop, 'id' | 'endDate' | 'timeZone' | 'surveyOpensAfterMonths' | 'surveyDueAfterDays'>;

/** Settings key under which a dismissed reminder's phase is kept. */
export const dismissKey = (workshopId: string) => `survey.reminderDismissed.${workshopId}`;

export function surveyReminders(
  workshops: readonly Timing[],
  /** Workshops with a submitted response (any revision). */
  answered: ReadonlySet<string>,
  /** Workshop id → the phase in which the participant tapped "Later". */
  dismissed: ReadonlyMap<string, string>,
  now: Date,
): SurveyReminder[] {
  const out: SurveyReminder[] = [];
  for (const w of workshops) {
    if (answered.has(w.id)) continue;
    const win = surveyWindow(w, now);
    if (win.phase === 'not-yet') continue;
    if (dismissed.get(w.id) === win.phase) continue;
    out.push({
      workshopId: w.id,
      phase: win.phase,
      opensOn: win.opensOn,
      dueOn: win.dueOn,
      daysLeft: win.daysLeft,
      dueAt: win.dueAt,
    });
  }
  return out.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
}

/**
 * When the next reminder could change on its own (a survey opens, turns due
 * soon or overdue), so an app left open re-checks then rather than polling.
 */
export function nextChangeAt(workshops: readonly Timing[], now: Date): Date | null {
  let next: number | null = null;
  for (const w of workshops) {
    const win = surveyWindow(w, now);
    const dueSoonAt = win.dueAt.getTime() - DUE_SOON_DAYS * 86_400_000;
    for (const t of [win.opensAt.getTime(), dueSoonAt, win.dueAt.getTime()]) {
      if (t > now.getTime() && (next === null || t < next)) next = t;
    }
  }
  return next === null ? null : new Date(next);
}
