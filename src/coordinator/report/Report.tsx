/**
 * The report of one fiscal year, once loaded: the summary line, exports of
 * every table at once (one CSV, or one workbook with a sheet per table), the
 * contents, then Tables 1–7, the examples and the Strategic Action Plan
 * indicators, each a TableSection; Tables 1 and 2 with their charts.
 */
import { useMemo } from 'react';
import { Link } from 'wouter';
import { useCoordinatorT } from '../core/i18n';
import type { SurveyReportView } from '../core/types';
import { StatusLine } from '../ui/StatusLine';
import { BarChart } from './BarChart';
import { actionsChart, chartLabel, replyRateChart, topAction } from './chart-specs';
import { CorrelationView } from './CorrelationView';
import { downloadCsv, exportFileName, gridToCsv } from './csv';
import { ExampleList, ExamplesView } from './ExamplesView';
import { GridTable } from './GridTable';
import {
  actionLabel,
  examplesGrid,
  indicatorsGrid,
  reportGrid,
  TANGIBLE_RESULTS_TARGET,
  type Translate,
} from './report-grids';
import { TableSection } from './TableSection';
import { useWorkbookDownload } from './use-workbook-download';
import { downloadWorkbook, reportWorkbook } from './xlsx';

const PARTS = ['table1', 'table2', 'table3', 'table4', 'table5', 'table6', 'table7', 'examples', 'indicators'] as const;

export function Report({ data }: { data: SurveyReportView }) {
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
  const rateSpec = useMemo(() => replyRateChart(tables.table1, labels, t), [labels, tables, t]);
  const actionSpec = useMemo(() => actionsChart(tables.table2, labels, t), [labels, tables, t]);

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
