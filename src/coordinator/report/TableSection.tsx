/**
 * One part of the report: its heading and introduction, an optional chart,
 * the table, and the buttons that export that one table as CSV or XLSX.
 */
import type { ReactNode } from 'react';
import { useCoordinatorT } from '../core/i18n';
import { StatusLine } from '../ui/StatusLine';
import { downloadCsv, exportFileName, gridToCsv } from './csv';
import { GridTable } from './GridTable';
import type { Grid, TableKey } from './report-grids';
import { useWorkbookDownload } from './use-workbook-download';
import { downloadWorkbook, gridSheet } from './xlsx';

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

export function TableSection({
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
