/**
 * Rows and the records they stand for: the row of one roster line (a
 * participant and their counted response, or none) for the export, and the
 * participant and response of an imported row, under the ids the importer
 * resolved.
 */
import { ACTION_KINDS, SurveyResponse } from '../../schemas/followup';
import { Participant } from '../../schemas/participant';
import type { Workshop } from '../../schemas/workshop';
import { fiscalYearOf } from '../survey-report';
import { ACTION_COLUMNS } from './columns';
import { ResponsesCsvRow } from './row';

/** The row of one roster line: the participant's counted response, or none. */
export function rowFromRecords(
  workshop: Pick<Workshop, 'id' | 'title' | 'startDate'>,
  participant: Participant,
  response: SurveyResponse | null,
): ResponsesCsvRow {
  const base = {
    fiscal_year: fiscalYearOf(workshop.startDate),
    workshop_id: workshop.id,
    workshop_title: workshop.title,
    participant_id: participant.id,
    participant_name: participant.fullName,
    participant_email: participant.email,
    participant_position: participant.position,
    administration: participant.memberCode,
  };
  if (!response) {
    return ResponsesCsvRow.parse({ ...base, status: 'not-answered' });
  }
  return ResponsesCsvRow.parse({
    ...base,
    response_id: response.id,
    status: 'submitted',
    revision: response.revision,
    submitted_at: response.submittedAt,
    ...Object.fromEntries(ACTION_KINDS.map((k) => [ACTION_COLUMNS[k], response.actionsTaken.includes(k)])),
    other_actions: response.otherActions,
    operational_improvement: response.lessonsApplied.operationalImprovement,
    strategic_empowerment: response.lessonsApplied.strategicEmpowerment,
    direct_effects: response.directEffects.answer === 'not-yet' ? 'not yet' : response.directEffects.answer,
    direct_effects_details: response.directEffects.details,
    work_efficiency: response.workEfficiency.answer,
    work_efficiency_details: response.workEfficiency.details,
    new_projects: response.newProjects.answer,
    new_projects_details: response.newProjects.details,
  });
}

/** The participant a row describes, under the id the importer chose for them. */
export function participantFromRow(row: ResponsesCsvRow, id: string): Participant {
  return Participant.parse({
    id,
    fullName: row.participant_name,
    email: row.participant_email,
    memberCode: row.administration,
    position: row.participant_position,
  });
}

/** The submitted response of a row (null for not-answered), under the ids the importer resolved. */
export function surveyResponseFromRow(
  row: ResponsesCsvRow,
  ids: { id: string; participantId: string; workshopId: string },
): SurveyResponse | null {
  if (row.status !== 'submitted') return null;
  return SurveyResponse.parse({
    ...ids,
    revision: row.revision ?? 1,
    status: 'submitted',
    actionsTaken: ACTION_KINDS.filter((k) => row[ACTION_COLUMNS[k]] === true),
    otherActions: row.other_actions,
    lessonsApplied: {
      operationalImprovement: row.operational_improvement,
      strategicEmpowerment: row.strategic_empowerment,
    },
    directEffects: {
      answer: row.direct_effects === 'not yet' ? 'not-yet' : row.direct_effects,
      details: row.direct_effects_details,
    },
    workEfficiency: { answer: row.work_efficiency, details: row.work_efficiency_details },
    newProjects: { answer: row.new_projects, details: row.new_projects_details },
    submittedAt: row.submitted_at,
  });
}
