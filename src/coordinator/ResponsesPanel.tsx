/**
 * The raw responses behind the report: export a fiscal year's responses as
 * CSV or XLSX, and import historic ones (the office's e-mailed
 * questionnaires of past years) from a CSV file. The server checks every
 * row and imports all or nothing, so a refusal lists each bad row with its
 * number and reason, and says plainly that nothing was imported.
 */
import { useRef, useState, type FormEvent } from 'react';
import { OPTIONAL_COLUMNS, RESPONSES_CSV_COLUMNS, type RowError } from '../shared/domain/responses-csv';
import { apiRequest, apiSendText, asProblem } from './api';
import { downloadCsv, exportFileName, responsesToCsv } from './csv';
import { problemText, StatusLine, useCoordinatorT, type Status } from './parts';
import { invalidateViews } from './use-api';
import { downloadWorkbook, responsesSheet } from './xlsx';
import type { ResponsesExport } from './types';

/** The rejected rows of a 422 answer, or null when the body is not one. */
function rejectedRows(body: unknown): RowError[] | null {
  if (typeof body !== 'object' || body === null || !('rows' in body) || !Array.isArray(body.rows)) return null;
  const rows: unknown[] = body.rows;
  return rows.every(
    (r): r is RowError =>
      typeof r === 'object' &&
      r !== null &&
      'row' in r &&
      typeof r.row === 'number' &&
      'message' in r &&
      typeof r.message === 'string',
  )
    ? rows
    : null;
}

/** The format's rules in a sentence each; the README's section has the details. */
const RULES = ['rows', 'status', 'values', 'dates', 'actions', 'rowNumbers'] as const;

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

function ResponsesImport() {
  const { t } = useCoordinatorT();
  const form = useRef<HTMLFormElement>(null);
  const problems = useRef<HTMLHeadingElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<Status>(null);
  const [rejected, setRejected] = useState<RowError[] | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) {
      setStatus({ tone: 'error', text: t('responses.import.chooseFile') });
      return;
    }
    setBusy(true);
    setRejected(null);
    setStatus({ tone: 'info', text: t('responses.import.sending', { name: file.name }) });
    try {
      const text = await file.text();
      const { imported, skipped } = await apiSendText<{ imported: number; skipped: number }>(
        'POST',
        '/reports/responses/import',
        text,
        'text/csv',
      );
      const done = t('responses.import.done', { count: imported });
      setStatus({
        tone: 'ok',
        text: skipped > 0 ? `${done} ${t('responses.import.skipped', { count: skipped })}` : done,
      });
      form.current?.reset();
      setFile(null);
      // The report, the year list and any replies view fetch again with the new responses.
      invalidateViews();
    } catch (err) {
      const problem = asProblem(err);
      const rows = problem.status === 422 ? rejectedRows(problem.body) : null;
      if (rows) {
        setRejected(rows);
        setStatus(null);
        // Too long for a live region: focus moves to the list's heading ("Nothing was imported: …"), which is read out.
        requestAnimationFrame(() => problems.current?.focus());
      } else {
        setStatus({ tone: 'error', text: `${t('responses.import.nothing')} ${problemText(t, problem)}` });
      }
    } finally {
      setBusy(false);
    }
  };

  const template = () => downloadCsv(responsesToCsv(RESPONSES_CSV_COLUMNS, []), 'vaka-responses-template.csv');

  return (
    <>
      <h3>{t('responses.import.title')}</h3>
      <p>{t('responses.import.intro')}</p>
      <details className="c-details">
        <summary>{t('responses.import.columns', { count: RESPONSES_CSV_COLUMNS.length })}</summary>
        <ul>
          {RULES.map((rule) => (
            <li key={rule}>{t(`responses.import.rule.${rule}`)}</li>
          ))}
        </ul>
        <ul className="c-columns">
          {RESPONSES_CSV_COLUMNS.map((c) => (
            <li key={c}>
              <code>{c}</code>
              {OPTIONAL_COLUMNS.includes(c) && <span className="muted"> {t('responses.import.optional')}</span>}
            </li>
          ))}
        </ul>
        <p>{t('responses.import.readme')}</p>
      </details>
      <p>
        <button type="button" className="c-link-button" onClick={template}>
          {t('responses.import.template')}
        </button>
      </p>
      <form ref={form} className="c-form" onSubmit={(e) => void submit(e)} noValidate>
        <div className="field">
          <label htmlFor="c-import-file">{t('responses.import.file')}</label>
          <p className="field-hint" id="c-import-file-hint">
            {t('responses.import.fileHint')}
          </p>
          <input
            id="c-import-file"
            className="input"
            type="file"
            accept=".csv,text/csv"
            aria-describedby="c-import-file-hint"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </div>
        <p>
          <button type="submit" className="button" disabled={busy}>
            {t('responses.import.submit')}
          </button>
        </p>
      </form>
      <StatusLine status={status} />
      {rejected && (
        <div className="notice notice-warn c-import-problems">
          <h4 id="c-import-problems" tabIndex={-1} ref={problems}>
            {t('responses.import.refused', { count: rejected.length })}
          </h4>
          <p>{t('responses.import.fixAndRetry')}</p>
          <ul aria-labelledby="c-import-problems">
            {rejected.map((r, i) => (
              <li key={i}>
                {t('responses.import.row', { row: r.row })} <span dir="auto">{r.message}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}
