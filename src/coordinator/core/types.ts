/**
 * Shapes of the coordinator API's answers, built from the shared schema and
 * domain types the server computes them with (its coordinator routes and
 * src/server/reports/), so a change on one side fails the type check on the
 * other.
 */
import type { PlanIndicators, SurveyExamples } from '../../shared/domain/survey-examples';
import type { SurveyReport } from '../../shared/domain/survey-report';
import type { ReplySummary } from '../../shared/domain/replies';
import type { Participant } from '../../shared/schemas/participant';
import type { AgendaSession, Material, ToolSummary, Workshop, WorkshopKind } from '../../shared/schemas/workshop';

export interface WorkshopListItem {
  workshop: Workshop;
  version: number;
  updatedAt: string;
  counts: { sessions: number; materials: number; roster: number };
}

export interface WorkshopList {
  workshops: WorkshopListItem[];
}

export interface RosterParticipant extends Participant {
  devices: number;
  lastContact: string | null;
}

export interface WorkshopDetail {
  workshop: Workshop;
  version: number;
  updatedAt: string;
  sessions: AgendaSession[];
  materials: Material[];
  roster: RosterParticipant[];
}

export interface ToolList {
  toolSummaries: { toolSummary: ToolSummary; version: number; updatedAt: string }[];
}

export interface RepliesView extends ReplySummary {
  workshop: Workshop;
}

export interface SurveyReportView {
  fiscalYear: string;
  workshops: { id: string; title: string; kind: WorkshopKind; startDate: string; endDate: string }[];
  tables: SurveyReport;
  examples: SurveyExamples;
  indicators: PlanIndicators;
}

/** A cell of the raw responses export, in the responses CSV format's columns (shared/domain/responses-csv/). */
export type ResponseValue = string | number | boolean | null;

export interface ResponsesExport {
  columns: string[];
  rows: Record<string, ResponseValue>[];
}

export interface EnrolmentCode {
  code: string;
  link: string;
  expiresAt: string;
}

export const workshopPath = (id: string) => `/coordinator/workshops/${id}`;
