/**
 * The 6-month survey form as plain data: the answers it holds, how the
 * follow-up log prefills "follow-up actions taken", and the submit-time
 * check with the shared schema (the same one the server applies), turned
 * into translated field problems. Pure.
 */
import { ACTION_KINDS, SurveyResponse, type ActionKind, type FollowUpAction } from '../../../shared/schemas/followup';
import { problemsFromZod, type FieldProblem } from '../../ui/field-messages';

type YesNo = 'yes' | 'no';
type YesNoNotYet = YesNo | 'not-yet';

export interface SurveyAnswers {
  actionsTaken: ActionKind[];
  otherActions: string;
  lessonsApplied: { operationalImprovement: string; strategicEmpowerment: string };
  directEffects: { answer: YesNoNotYet | null; details: string };
  workEfficiency: { answer: YesNo | null; details: string };
  newProjects: { answer: YesNo | null; details: string };
}

export function emptyAnswers(): SurveyAnswers {
  return {
    actionsTaken: [],
    otherActions: '',
    lessonsApplied: { operationalImprovement: '', strategicEmpowerment: '' },
    directEffects: { answer: null, details: '' },
    workEfficiency: { answer: null, details: '' },
    newProjects: { answer: null, details: '' },
  };
}

export function answersOf(r: SurveyResponse): SurveyAnswers {
  return {
    actionsTaken: [...r.actionsTaken],
    otherActions: r.otherActions,
    lessonsApplied: { ...r.lessonsApplied },
    directEffects: { ...r.directEffects },
    workEfficiency: { ...r.workEfficiency },
    newProjects: { ...r.newProjects },
  };
}

/** Same kinds, in the questionnaire's order, each once. */
export function orderedKinds(kinds: Iterable<ActionKind>): ActionKind[] {
  const set = new Set(kinds);
  return ACTION_KINDS.filter((k) => set.has(k));
}

const OTHER_ACTIONS_MAX = 2000;

/**
 * What the log says about "follow-up actions taken": every kind logged, and
 * the descriptions of "other" actions (oldest first) for the question's
 * free-text part, cut to the field's length.
 */
export function prefillFromLog(
  actions: readonly Pick<FollowUpAction, 'kind' | 'description' | 'date'>[],
): Pick<SurveyAnswers, 'actionsTaken' | 'otherActions'> {
  const others = actions
    .filter((a) => a.kind === 'other')
    .sort((a, b) => a.date.localeCompare(b.date))
    .map((a) => a.description.trim())
    .filter((d) => d.length > 0);
  return {
    actionsTaken: orderedKinds(actions.map((a) => a.kind)),
    otherActions: [...new Set(others)].join('\n').slice(0, OTHER_ACTIONS_MAX),
  };
}

/** A new draft's answers: empty, with the log's actions filled in. */
export function prefilledAnswers(actions: readonly Pick<FollowUpAction, 'kind' | 'description' | 'date'>[]) {
  return { ...emptyAnswers(), ...prefillFromLog(actions) };
}

/**
 * Adds what was logged since the draft began, without undoing anything the
 * participant changed: kinds they unticked stay unticked only if the log
 * has nothing new of that kind, so this adds kinds, never removes them.
 */
export function mergeLog(
  answers: SurveyAnswers,
  actions: readonly Pick<FollowUpAction, 'kind' | 'description' | 'date'>[],
): { answers: SurveyAnswers; added: ActionKind[] } {
  const fromLog = prefillFromLog(actions);
  const added = fromLog.actionsTaken.filter((k) => !answers.actionsTaken.includes(k));
  const missingOther = fromLog.otherActions
    .split('\n')
    .filter((line) => line !== '' && !answers.otherActions.includes(line));
  const otherActions = [answers.otherActions.trim(), ...missingOther]
    .filter((s) => s !== '')
    .join('\n')
    .slice(0, OTHER_ACTIONS_MAX);
  return {
    answers: { ...answers, actionsTaken: orderedKinds([...answers.actionsTaken, ...added]), otherActions },
    added,
  };
}

/** Kinds logged but not ticked in the answers (to offer "add from your log"). */
export function loggedButUnticked(
  answers: SurveyAnswers,
  actions: readonly Pick<FollowUpAction, 'kind'>[],
): ActionKind[] {
  return orderedKinds(actions.map((a) => a.kind)).filter((k) => !answers.actionsTaken.includes(k));
}

/** On submit, drops the "other actions" text when "Other" is no longer ticked (drafts keep it, in case it is ticked again). */
export function tidy(answers: SurveyAnswers): SurveyAnswers {
  return {
    ...answers,
    otherActions: answers.actionsTaken.includes('other') ? answers.otherActions : '',
  };
}

interface Ownership {
  id: string;
  participantId: string;
  workshopId: string;
  revision: number;
  supersedes: string | null;
}

/**
 * The submit-time check: the response as it would be submitted at `now`,
 * parsed with the shared schema. Problems come back in the questionnaire's
 * order so focus can go to the first.
 */
export function submitProblems(owner: Ownership, answers: SurveyAnswers, now: Date): FieldProblem[] {
  const parsed = SurveyResponse.safeParse({
    ...owner,
    ...tidy(answers),
    status: 'submitted',
    submittedAt: now.toISOString(),
  });
  if (parsed.success) return [];
  const order: readonly string[] = FIELD_ORDER;
  return problemsFromZod(parsed.error).sort(
    (a, b) => order.indexOf(a.path.split('.')[0]!) - order.indexOf(b.path.split('.')[0]!),
  );
}

/** The questionnaire's order of fields. */
export const FIELD_ORDER = [
  'actionsTaken',
  'otherActions',
  'lessonsApplied',
  'directEffects',
  'workEfficiency',
  'newProjects',
] as const;
