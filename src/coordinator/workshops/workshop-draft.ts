/**
 * The workshop form's values and the Workshop record they stand for: a
 * draft from a saved workshop (or the office's defaults for a new one), and
 * the candidate record built from the draft, which the form checks with the
 * shared Workshop schema before sending. Pure.
 */
import type { Workshop, WorkshopKind, WorkshopMode } from '../../shared/schemas/workshop';
import { linesOf } from '../ui/form-values';
import { TRANSLATED, type Translated } from '../ui/translated';

export interface Draft {
  title: string;
  kind: WorkshopKind;
  topic: string;
  summary: string;
  startDate: string;
  endDate: string;
  timeZone: string;
  mode: WorkshopMode;
  venueName: string;
  venueCity: string;
  venueCountry: string;
  organisers: string;
  sponsor: string;
  administrations: string[];
  surveyOpensAfterMonths: string;
  surveyDueAfterDays: string;
  status: 'draft' | 'published';
  translations: Record<Translated, { title: string; summary: string }>;
  toolSlugs: string[];
}

/** The plain text inputs, and where the schema reports their errors when the path differs. */
export type TextKey =
  | 'title'
  | 'topic'
  | 'startDate'
  | 'endDate'
  | 'venueName'
  | 'sponsor'
  | 'surveyOpensAfterMonths'
  | 'surveyDueAfterDays';
export const ERROR_PATH: Partial<Record<TextKey, string>> = { venueName: 'venue.name' };

export function draftOf(w: Workshop | null): Draft {
  const tr = (lng: Translated) => ({
    title: w?.translations[lng]?.title ?? '',
    summary: w?.translations[lng]?.summary ?? '',
  });
  return {
    title: w?.title ?? '',
    kind: w?.kind ?? 'regional',
    topic: w?.topic ?? '',
    summary: w?.summary ?? '',
    startDate: w?.startDate ?? '',
    endDate: w?.endDate ?? '',
    // The office is in Bangkok; most online workshops keep its clock.
    timeZone: w?.timeZone ?? 'Asia/Bangkok',
    mode: w?.mode ?? 'online',
    venueName: w?.venue?.name ?? '',
    venueCity: w?.venue?.city ?? '',
    venueCountry: w?.venue?.country ?? '',
    organisers: (w?.organisers ?? ['World Customs Organization (WCO)', 'ROCB A/P']).join('\n'),
    sponsor: w?.sponsor ?? '',
    administrations: w?.administrations ?? [],
    surveyOpensAfterMonths: String(w?.surveyOpensAfterMonths ?? 6),
    surveyDueAfterDays: String(w?.surveyDueAfterDays ?? 21),
    status: w?.status ?? 'draft',
    translations: { fr: tr('fr'), pt: tr('pt'), fa: tr('fa') },
    toolSlugs: w?.toolSlugs ?? [],
  };
}

export function candidateOf(id: string, d: Draft): unknown {
  const translations: Record<string, { title?: string; summary?: string }> = {};
  for (const lng of TRANSLATED) {
    const { title, summary } = d.translations[lng];
    if (title.trim() || summary.trim())
      translations[lng] = { ...(title.trim() ? { title } : {}), ...(summary.trim() ? { summary } : {}) };
  }
  const hasVenue = d.venueCity.trim() !== '' || d.venueCountry.trim() !== '' || d.venueName.trim() !== '';
  return {
    id,
    title: d.title,
    kind: d.kind,
    topic: d.topic,
    summary: d.summary,
    startDate: d.startDate,
    endDate: d.endDate,
    timeZone: d.timeZone.trim(),
    mode: d.mode,
    venue:
      d.mode === 'online' && !hasVenue
        ? null
        : { ...(d.venueName.trim() ? { name: d.venueName } : {}), city: d.venueCity, country: d.venueCountry },
    organisers: linesOf(d.organisers),
    sponsor: d.sponsor.trim() === '' ? null : d.sponsor,
    administrations: d.administrations,
    surveyOpensAfterMonths: d.surveyOpensAfterMonths.trim() === '' ? NaN : Number(d.surveyOpensAfterMonths),
    surveyDueAfterDays: d.surveyDueAfterDays.trim() === '' ? NaN : Number(d.surveyDueAfterDays),
    status: d.status,
    translations,
    toolSlugs: d.toolSlugs,
  };
}
