/**
 * The follow-up survey report of a fiscal year, computed live by the server
 * from the survey records (Report.tsx lays it out: Tables 1–7 as in the
 * ROCB A/P Good Practice Report, the examples, the Strategic Action Plan
 * indicators, with charts and CSV/XLSX exports), and below it the raw
 * responses export and the import of historic ones (ResponsesPanel). This
 * screen picks the year (from the address, else the newest with replies, else
 * the newest whose surveys have all opened) and prints cleanly: no
 * navigation, folded sections unfolded.
 */
import { useEffect } from 'react';
import { useLocation, useSearch } from 'wouter';
import { Screen } from '../../client/ui/screen';
import { fiscalYearOf } from '../../shared/domain/survey-report';
import { surveyWindow } from '../../shared/domain/survey-window';
import { useCoordinatorT } from '../core/i18n';
import type { SurveyReportView, WorkshopList } from '../core/types';
import { useApi } from '../core/use-api';
import { ViewState } from '../ui/ViewState';
import { Report } from './Report';
import { ResponsesPanel } from './ResponsesPanel';

const FISCAL_YEAR = /^\d{4}\/\d{2}$/;

/** The fiscal years that have regional or sub-regional workshops (the ones the survey covers), newest first. */
function fiscalYears(list: WorkshopList | undefined): string[] {
  const years = new Set<string>();
  for (const { workshop } of list?.workshops ?? [])
    if (workshop.kind === 'regional' || workshop.kind === 'sub-regional') years.add(fiscalYearOf(workshop.startDate));
  return [...years].sort().reverse();
}

/**
 * The year to open with: the newest one whose surveys have all opened,
 * since a report on surveys still to come is empty.
 */
function defaultYear(list: WorkshopList | undefined, years: string[], now: Date): string | null {
  for (const fy of years) {
    const ws = (list?.workshops ?? []).filter((w) => fiscalYearOf(w.workshop.startDate) === fy);
    if (ws.every((w) => surveyWindow(w.workshop, now).phase !== 'not-yet')) return fy;
  }
  return years[0] ?? null;
}

export default function ReportScreen() {
  const { t } = useCoordinatorT();
  const search = useSearch();
  const [, navigate] = useLocation();
  const list = useApi<WorkshopList>('/coordinator/workshops');
  const years = fiscalYears(list.data);
  const asked = new URLSearchParams(search).get('fy');
  // A newcomer's first look is the latest year with replies, not an empty current year.
  const summaries = useApi<{ fiscalYears: { fiscalYear: string; replies: number }[] }>('/reports/fiscal-years');
  const withReplies = summaries.data?.fiscalYears.find((y) => y.replies > 0)?.fiscalYear;
  const fy = asked && FISCAL_YEAR.test(asked) ? asked : (withReplies ?? defaultYear(list.data, years, new Date()));
  // The API names a fiscal year by the calendar year it starts in: 2020 for 2020/21.
  const report = useApi<SurveyReportView>(fy ? `/reports/follow-up?fiscalYear=${fy.slice(0, 4)}` : null);
  // A printed report shows every example: folded sections are opened for paper.
  useEffect(() => {
    const unfold = () => {
      for (const d of document.querySelectorAll<HTMLDetailsElement>('details.c-details')) d.open = true;
    };
    window.addEventListener('beforeprint', unfold);
    return () => window.removeEventListener('beforeprint', unfold);
  }, []);
  const choices = fy && !years.includes(fy) ? [fy, ...years] : years;

  return (
    <Screen
      title={fy ? t('report.titleYear', { year: fy }) : t('report.title')}
      lead={<p className="lead">{t('report.lead')}</p>}
    >
      <div className="c-report-controls no-print">
        <div className="field">
          <label htmlFor="c-fy">{t('report.fiscalYear')}</label>
          <select
            id="c-fy"
            className="input"
            value={fy ?? ''}
            onChange={(e) => navigate(`/report?fy=${encodeURIComponent(e.target.value)}`)}
          >
            {choices.map((y) => (
              <option key={y} value={y}>
                {t('report.fiscalYearOption', { year: y })}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className="button button-secondary" onClick={() => window.print()}>
          {t('report.print')}
        </button>
      </div>
      {fy === null ? (
        <ViewState view={list}>{() => <p className="muted">{t('report.noYears')}</p>}</ViewState>
      ) : (
        <ViewState view={report}>{(data) => <Report data={data} />}</ViewState>
      )}
      <ResponsesPanel fiscalYear={fy} />
    </Screen>
  );
}
