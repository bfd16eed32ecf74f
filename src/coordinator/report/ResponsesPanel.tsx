/**
 * The raw responses behind the report: export a fiscal year's responses as
 * CSV or XLSX (the cells in the responses CSV format, so an export can be
 * imported again), and import historic ones (ResponsesImport.tsx).
 */
import { useState } from 'react';
import { apiRequest, asProblem } from '../core/api';
import { useCoordinatorT } from '../core/i18n';
import type { ResponsesExport } from '../core/types';
import { problemText } from '../ui/problem-text';
import { StatusLine, type Status } from '../ui/StatusLine';
import { downloadCsv, exportFileName, responsesToCsv } from './csv';
import { ResponsesImport } from './ResponsesImport';
import { downloadWorkbook, responsesSheet } from './xlsx';

export function ResponsesPanel({ fiscalYear }: { fiscalYear: string | null }) {
  const { t } = useCoordinatorT();
  return (
    <section aria-labelledby="c-responses-heading" className="c-report-section no-print">
      <h2 id="c-responses-heading">{t('responses.title')}</h2>
      {fiscalYear && <ResponsesExportButtons fiscalYear={fiscalYear} />}
      <ResponsesImport />
    </section>
  );
}

function ResponsesExportButtons({ fiscalYear }: { fiscalYear: string }) {
  const { t } = useCoordinatorT();
  const [status, setStatus] = useState<Status>(null);
  const [busy, setBusy] = useState(false);

  const download = async (format: 'csv' | 'xlsx') => {
    setBusy(true);
    setStatus({ tone: 'info', text: t('responses.exporting') });
    try {
      // The API names a fiscal year by the calendar year it starts in.
      const data = await apiRequest<ResponsesExport>(
        'GET',
        `/reports/responses?fiscalYear=${encodeURIComponent(fiscalYear.slice(0, 4))}`,
      );
      const fileName = exportFileName(fiscalYear, 'responses', format);
      if (format === 'csv') downloadCsv(responsesToCsv(data.columns, data.rows), fileName);
      else await downloadWorkbook([responsesSheet(t('responses.sheet'), data.columns, data.rows)], fileName);
      setStatus({ tone: 'ok', text: t('responses.exported', { count: data.rows.length }) });
    } catch (err) {
      setStatus({ tone: 'error', text: problemText(t, asProblem(err)) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <p>{t('responses.exportIntro', { year: fiscalYear })}</p>
      <div className="c-inline-actions">
        <button type="button" className="button button-secondary" disabled={busy} onClick={() => void download('csv')}>
          {t('responses.csv')}
        </button>
        <button type="button" className="button button-secondary" disabled={busy} onClick={() => void download('xlsx')}>
          {t('responses.xlsx')}
        </button>
      </div>
      <StatusLine status={status} />
    </>
  );
}
