/**
 * The follow-up survey report of a fiscal year, computed live by the server
 * from the survey records: Tables 1–7 laid out as in the ROCB A/P Good
 * Practice Report, the quoted examples in its groups, and the Strategic
 * Action Plan indicators. Reply rates and actions per workshop also come as
 * charts, each beside its table. Every table exports to CSV and XLSX (one
 * table, or all in one file), the raw responses export and historic ones
 * import (ResponsesPanel), and the page prints cleanly (no navigation,
 * tables unfolded).
 */
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { Screen } from '../client/ui/screen';
import { fiscalYearOf } from '../shared/domain/survey-report';
import type { CorrelationTable, MemberMark } from '../shared/domain/survey-report';
import type { Example } from '../shared/domain/survey-examples';
import { ACTION_KINDS, type ActionKind } from '../shared/schemas/followup';
import { surveyWindow } from '../shared/domain/survey-window';
import { BarChart } from './BarChart';
import { downloadCsv, exportFileName, gridToCsv } from './csv';
import { GridTable, ScrollTable, StatusLine, useCoordinatorT, ViewState, type Status } from './parts';
import {
  actionLabel,
  correlationLabels,
  EXAMPLE_GROUPS,
  examplesGrid,
  indicatorsGrid,
  reportGrid,
  TANGIBLE_RESULTS_TARGET,
  type Grid,
  type TableKey,
  type Translate,
} from './report-grids';
import { ResponsesPanel } from './ResponsesPanel';
import { useApi } from './use-api';
import { downloadWorkbook, gridSheet, reportWorkbook } from './xlsx';
import type { SurveyReportView, WorkshopList } from './types';

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
  const fy = asked && FISCAL_YEAR.test(asked) ? asked : defaultYear(list.data, years, new Date());
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

/**
 * Saves an XLSX file, saying so while the writer loads (the first time it
 * comes over the network) and if it fails.
 */
function useWorkbookDownload(): {
  status: Status;
  busy: boolean;
  save: (make: () => Promise<void>) => void;
} {
  const { t } = useCoordinatorT();
  const [status, setStatus] = useState<Status>(null);
  const [busy, setBusy] = useState(false);
  const save = (make: () => Promise<void>) => {
    setBusy(true);
    setStatus({ tone: 'info', text: t('report.xlsxPreparing') });
    make()
      .then(
        () => setStatus(null),
        () => setStatus({ tone: 'error', text: t('report.xlsxFailed') }),
      )
      .finally(() => setBusy(false));
  };
  return { status, busy, save };
}

function ExportButtons({
  grid,
  fiscalYear,
  part,
  label,
  sheet,
}: {
  grid: Grid;
  fiscalYear: string;
  part: string;
  label: string;
  /** The short name, for the worksheet tab. */
  sheet: string;
}) {
  const { t, i18n } = useCoordinatorT();
  const xlsx = useWorkbookDownload();
  const rtl = i18n.dir(i18n.language) === 'rtl';
  return (
    <div className="c-export no-print">
      <button
        type="button"
        className="c-link-button"
        onClick={() => downloadCsv(gridToCsv(grid), exportFileName(fiscalYear, part, 'csv'))}
      >
        {t('report.csv', { name: label })}
      </button>
      <button
        type="button"
        className="c-link-button"
        disabled={xlsx.busy}
        onClick={() =>
          xlsx.save(() => downloadWorkbook([gridSheet(sheet, grid, rtl)], exportFileName(fiscalYear, part, 'xlsx')))
        }
      >
        {t('report.xlsx', { name: label })}
      </button>
      <StatusLine status={xlsx.status} />
    </div>
  );
}

/**
 * "(3)", "Performance", "Measurement": the report's number and the words
 * that tell workshops apart, in short lines so a 360 px chart keeps room
 * for its bars.
 */
function chartLabel(index: number, title: string): string[] {
  const topic = title
    .replace(/^WCO\s+/i, '')
    .split(/\bWorkshop on (?:the )?/i)
    .at(-1)!
    .trim();
  const lines: string[] = [];
  let line = `(${index + 1})`;
  for (const word of topic.split(/\s+/)) {
    if (`${line} ${word}`.length > 18 && line !== '') {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line);
  // Three lines at most: the table below has the full title.
  return lines.length > 3 ? [...lines.slice(0, 2), `${lines[2]}…`] : lines;
}

function TableSection({
  id,
  title,
  intro,
  grid,
  fiscalYear,
  children,
  table,
}: {
  id: TableKey | 'examples' | 'indicators';
  title: string;
  intro?: string;
  grid: Grid;
  fiscalYear: string;
  children?: ReactNode;
  /** A custom rendering of the grid (Tables 4 and 7 show their marks). */
  table?: ReactNode;
}) {
  const { t } = useCoordinatorT();
  return (
    <section aria-labelledby={`${id}-heading`} className="c-report-section">
      <h2 id={`${id}-heading`}>{title}</h2>
      {intro && <p className="field-hint">{intro}</p>}
      {children}
      {table ?? <GridTable grid={grid} caption={title} id={`${id}-table`} />}
      <ExportButtons grid={grid} fiscalYear={fiscalYear} part={id} label={title} sheet={t(`report.${id}.short`)} />
    </section>
  );
}

const PARTS = ['table1', 'table2', 'table3', 'table4', 'table5', 'table6', 'table7', 'examples', 'indicators'] as const;

function Report({ data }: { data: SurveyReportView }) {
  const { t: tc, i18n } = useCoordinatorT();
  const t: Translate = tc;
  const xlsx = useWorkbookDownload();
  const { tables } = data;
  const fy = data.fiscalYear;
  const grids = useMemo(
    () => ({
      table1: reportGrid(tables, 'table1', t),
      table2: reportGrid(tables, 'table2', t),
      table3: reportGrid(tables, 'table3', t),
      table4: reportGrid(tables, 'table4', t),
      table5: reportGrid(tables, 'table5', t),
      table6: reportGrid(tables, 'table6', t),
      table7: reportGrid(tables, 'table7', t),
      examples: examplesGrid(data.examples, t),
      indicators: indicatorsGrid(data.indicators, t),
    }),
    [tables, data.examples, data.indicators, t],
  );
  const labels = useMemo(() => tables.table1.rows.map((r, i) => chartLabel(i, r.title)), [tables]);
  const rateSpec = useMemo(
    () => ({
      labels,
      datasets: [
        {
          label: t('report.col.replyRate'),
          data: tables.table1.rows.map((r) => r.replyRate.percent),
          color: '#0b5563',
        },
      ],
      horizontal: true,
      stacked: false,
      max: 100,
      unit: '%',
    }),
    [labels, tables, t],
  );
  const actionSpec = useMemo(
    () => ({
      labels,
      datasets: ACTION_KINDS.map((k) => ({
        label: actionLabel(t, k),
        data: tables.table2.rows.map((r) => r.actions[k]),
      })),
      horizontal: true,
      stacked: true,
      unit: '',
    }),
    [labels, tables, t],
  );

  if (tables.table1.rows.length === 0) return <p className="muted">{t('report.empty', { year: fy })}</p>;

  const total = tables.table1.total;
  const allTablesCsv = (): void => {
    // One file, a title line before each table: a spreadsheet opens it in one go, and browsers do not block it.
    const text = PARTS.map((k) => `${t(`report.${k}.title`)}\r\n${gridToCsv(grids[k]).replace(/^\uFEFF/, '')}`).join(
      '\r\n\r\n',
    );
    downloadCsv(`\uFEFF${text}`, exportFileName(fy, 'all-tables', 'csv'));
  };
  // One workbook, a sheet per table named as in the contents below.
  const allTablesXlsx = (): void =>
    xlsx.save(() =>
      downloadWorkbook(
        reportWorkbook(
          PARTS.map((k) => ({ name: t(`report.${k}.short`), grid: grids[k] })),
          i18n.dir(i18n.language) === 'rtl',
        ),
        exportFileName(fy, 'all-tables', 'xlsx'),
      ),
    );

  return (
    <>
      <p className="c-summary">
        {t('report.summary', {
          workshops: tables.table1.rows.length,
          replies: total.replies,
          participants: total.participants,
          percent: total.replyRate.percent ?? '—',
        })}
      </p>
      <div className="c-inline-actions no-print">
        <button type="button" className="button button-secondary" onClick={allTablesCsv}>
          {t('report.csvAll')}
        </button>
        <button type="button" className="button button-secondary" disabled={xlsx.busy} onClick={allTablesXlsx}>
          {t('report.xlsxAll')}
        </button>
      </div>
      <StatusLine status={xlsx.status} />
      <nav aria-label={t('report.contents')} className="c-toc no-print">
        <ul>
          {PARTS.map((k) => (
            <li key={k}>
              <a href={`#${k}-heading`}>{t(`report.${k}.short`)}</a>
            </li>
          ))}
        </ul>
      </nav>

      <TableSection
        id="table1"
        title={t('report.table1.title')}
        intro={t('report.table1.intro')}
        grid={grids.table1}
        fiscalYear={fy}
      >
        <BarChart
          spec={rateSpec}
          rows={labels.length}
          tableId="table1-table"
          summary={t('report.table1.chart', { percent: total.replyRate.percent ?? '—' })}
        />
      </TableSection>
      <TableSection
        id="table2"
        title={t('report.table2.title')}
        intro={t('report.table2.intro')}
        grid={grids.table2}
        fiscalYear={fy}
      >
        <BarChart
          spec={actionSpec}
          rows={labels.length}
          tableId="table2-table"
          summary={t('report.table2.chart', {
            action: actionLabel(t, topAction(tables.table2.total.actions)),
            count: Math.max(...Object.values(tables.table2.total.actions)),
          })}
        />
      </TableSection>
      <TableSection
        id="table3"
        title={t('report.table3.title')}
        intro={t('report.table3.intro')}
        grid={grids.table3}
        fiscalYear={fy}
      />
      <TableSection
        id="table4"
        title={t('report.table4.title')}
        intro={t('report.table4.intro')}
        grid={grids.table4}
        fiscalYear={fy}
        table={<CorrelationView which="table4" table={tables.table4} />}
      />
      <TableSection
        id="table5"
        title={t('report.table5.title')}
        intro={t('report.table5.intro')}
        grid={grids.table5}
        fiscalYear={fy}
      />
      <TableSection
        id="table6"
        title={t('report.table6.title')}
        intro={t('report.table6.intro')}
        grid={grids.table6}
        fiscalYear={fy}
      />
      <TableSection
        id="table7"
        title={t('report.table7.title')}
        intro={t('report.table7.intro')}
        grid={grids.table7}
        fiscalYear={fy}
        table={<CorrelationView which="table7" table={tables.table7} />}
      />
      <TableSection
        id="examples"
        title={t('report.examples.title')}
        intro={t('report.examples.intro')}
        grid={grids.examples}
        fiscalYear={fy}
        table={<ExamplesView data={data} />}
      />
      <TableSection
        id="indicators"
        title={t('report.indicators.title')}
        intro={t('report.indicators.intro')}
        grid={grids.indicators}
        fiscalYear={fy}
        table={
          <>
            <GridTable
              grid={grids.indicators}
              caption={t('report.indicators.title')}
              id="indicators-table"
              rowHeader={0}
            />
            <details className="c-details">
              <summary>
                {t('report.indicators.stories', {
                  count: data.indicators.successStories.length,
                  target: TANGIBLE_RESULTS_TARGET,
                })}
              </summary>
              <ExampleList examples={data.indicators.successStories} />
            </details>
          </>
        }
      />
      <p className="no-print">
        <Link href="/">{t('workshops.back')}</Link>
      </p>
    </>
  );
}

function topAction(actions: Record<ActionKind, number>): ActionKind {
  return ACTION_KINDS.reduce<ActionKind>((best, k) => (actions[k] > actions[best] ? k : best), 'share-materials');
}

function Marks({ marks, markLabel }: { marks: MemberMark[]; markLabel: string }) {
  if (marks.length === 0) return <>—</>;
  return (
    <>
      {marks.map((m, i) => (
        <span key={`${m.participantId}`}>
          {i > 0 && ', '}
          {m.marked ? (
            <strong className="c-mark">
              {m.memberCode ?? '?'}
              <span className="visually-hidden"> ({markLabel})</span>
            </strong>
          ) : (
            (m.memberCode ?? '?')
          )}
        </span>
      ))}
    </>
  );
}

/** Tables 4 and 7: who took each action and who reached the outcome, with the report's marks. */
function CorrelationView({ which, table }: { which: 'table4' | 'table7'; table: CorrelationTable }) {
  const { t: tc } = useCoordinatorT();
  const t: Translate = tc;
  const labels = correlationLabels(which, t);
  const id = `${which}-table`;
  const share = (s: { count: number; percent: number | null }) =>
    s.percent === null ? `${s.count}` : `${s.count} (${s.percent}%)`;
  return (
    <>
      <p className="field-hint">{t(`report.${which}.marks`)}</p>
      <ScrollTable labelledBy={`${id}-caption`}>
        <table className="c-table" id={id}>
          <caption id={`${id}-caption`}>{t(`report.${which}.title`)}</caption>
          <thead>
            <tr>
              <th scope="col">{t('report.col.no')}</th>
              <th scope="col">{t('report.col.workshop')}</th>
              <th scope="col">{labels.first}</th>
              <th scope="col">{labels.second}</th>
              <th scope="col">{labels.outcome}</th>
            </tr>
          </thead>
          <tbody>
            {table.rows.map((r, i) => (
              <tr key={r.workshopId}>
                <td className="c-num">{i + 1}</td>
                <th scope="row" dir="auto">
                  {r.title}
                </th>
                <td>
                  <Marks marks={r.firstAction} markLabel={t(`report.${which}.markAction`)} />
                </td>
                <td>
                  <Marks marks={r.secondAction} markLabel={t(`report.${which}.markAction`)} />
                </td>
                <td>
                  <Marks marks={r.outcome} markLabel={t(`report.${which}.markOutcome`)} />
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <td />
              <th scope="row">{t('report.total')}</th>
              <td className="c-num">{table.total.firstAction}</td>
              <td className="c-num">{table.total.secondAction}</td>
              <td className="c-num">{table.total.outcome}</td>
            </tr>
            <tr>
              <td />
              <th scope="row">{labels.ledTo}</th>
              <td className="c-num">{share(table.total.firstActionLedToOutcome)}</td>
              <td className="c-num">{share(table.total.secondActionLedToOutcome)}</td>
              <td />
            </tr>
            <tr>
              <td />
              <th scope="row">{labels.attributed}</th>
              <td />
              <td />
              <td className="c-num">{share(table.total.outcomeAfterEitherAction)}</td>
            </tr>
          </tfoot>
        </table>
      </ScrollTable>
    </>
  );
}

function ExampleList({ examples }: { examples: Example[] }) {
  const { t } = useCoordinatorT();
  if (examples.length === 0) return <p className="muted">{t('report.examples.none')}</p>;
  return (
    <ul className="c-examples">
      {examples.map((e, i) => (
        <li key={i}>
          <span dir="auto">{e.text}</span>{' '}
          <span className="muted">
            ({e.member} – <span dir="auto">{e.workshopTitle}</span>)
          </span>
        </li>
      ))}
    </ul>
  );
}

function ExamplesView({ data }: { data: SurveyReportView }) {
  const { t } = useCoordinatorT();
  return (
    <>
      {EXAMPLE_GROUPS.map((group) => (
        <section key={group} aria-labelledby={`ex-${group}`}>
          <h3 id={`ex-${group}`}>
            {t(`report.examples.${group}.title`)} <span className="c-count">{data.examples[group].length}</span>
          </h3>
          <details className="c-details" open={data.examples[group].length <= 12}>
            <summary>{t('report.examples.show', { count: data.examples[group].length })}</summary>
            <ExampleList examples={data.examples[group]} />
          </details>
        </section>
      ))}
    </>
  );
}
