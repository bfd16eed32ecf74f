/**
 * The quoted examples of the Good Practice Report, gathered from responses
 * and grouped as the report groups them (2.2 other actions, 2.3 lessons
 * applied as (a) operational improvement and (b) strategic empowerment,
 * 2.4 direct effects, 2.5 work efficiency, 2.6 new projects), and the
 * Strategic Action Plan indicators this data can feed. Pure.
 */
import type { Evaluation, SurveyResponse } from '../schemas/followup';
import type { Participant } from '../schemas/participant';
import type { Workshop } from '../schemas/workshop';
import { memberByCode } from './members';
import { countedResponses } from './survey-report';

export interface Example {
  text: string;
  member: string;
  workshopTitle: string;
  workshopId: string;
}

export interface SurveyExamples {
  otherActions: Example[];
  operationalImprovement: Example[];
  strategicEmpowerment: Example[];
  directEffects: Example[];
  workEfficiency: Example[];
  newProjects: Example[];
}

export function surveyExamples(
  workshops: readonly Workshop[],
  participants: readonly Participant[],
  responses: readonly SurveyResponse[],
): SurveyExamples {
  const workshopById = new Map(workshops.map((w) => [w.id, w]));
  const memberOf = new Map(participants.map((p) => [p.id, memberByCode(p.memberCode)?.name ?? p.memberCode]));
  const out: SurveyExamples = {
    otherActions: [],
    operationalImprovement: [],
    strategicEmpowerment: [],
    directEffects: [],
    workEfficiency: [],
    newProjects: [],
  };
  const push = (list: Example[], text: string, r: SurveyResponse) => {
    const w = workshopById.get(r.workshopId);
    if (!w || text.trim() === '') return;
    list.push({
      text: text.trim(),
      member: memberOf.get(r.participantId) ?? '',
      workshopTitle: w.title,
      workshopId: w.id,
    });
  };
  for (const r of countedResponses(responses)) {
    if (!workshopById.has(r.workshopId)) continue;
    push(out.otherActions, r.otherActions, r);
    push(out.operationalImprovement, r.lessonsApplied.operationalImprovement, r);
    push(out.strategicEmpowerment, r.lessonsApplied.strategicEmpowerment, r);
    if (r.directEffects.answer === 'yes') push(out.directEffects, r.directEffects.details, r);
    if (r.workEfficiency.answer === 'yes') push(out.workEfficiency, r.workEfficiency.details, r);
    if (r.newProjects.answer === 'yes') push(out.newProjects, r.newProjects.details, r);
  }
  const order = (a: Example, b: Example) =>
    (workshopById.get(a.workshopId)?.startDate ?? '').localeCompare(workshopById.get(b.workshopId)?.startDate ?? '') ||
    a.member.localeCompare(b.member);
  for (const list of Object.values(out)) list.sort(order);
  return out;
}

export interface PlanIndicators {
  /** "Number of post action undertaken": follow-up actions reported in submitted responses. */
  postActions: number;
  /** "Number of tangible results realized by Members": respondents reporting direct effects, told as success stories. */
  tangibleResults: number;
  successStories: Example[];
  /** "Results of participants' evaluation": mean of the overall rating, against the plan's target of 4 of 5. */
  evaluation: { responses: number; average: number | null; target: 4; met: boolean | null };
}

export function planIndicators(
  workshops: readonly Workshop[],
  participants: readonly Participant[],
  responses: readonly SurveyResponse[],
  evaluations: readonly Evaluation[],
): PlanIndicators {
  const ids = new Set(workshops.map((w) => w.id));
  const counted = countedResponses(responses).filter((r) => ids.has(r.workshopId));
  const evals = evaluations.filter((e) => ids.has(e.workshopId));
  const average = evals.length
    ? Math.round((100 * evals.reduce((s, e) => s + e.overall, 0)) / evals.length) / 100
    : null;
  return {
    postActions: counted.reduce((n, r) => n + r.actionsTaken.length, 0),
    tangibleResults: counted.filter((r) => r.directEffects.answer === 'yes').length,
    successStories: surveyExamples(workshops, participants, counted).directEffects,
    evaluation: { responses: evals.length, average, target: 4, met: average === null ? null : average >= 4 },
  };
}
