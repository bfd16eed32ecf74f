/**
 * Importing historic responses from a CSV file: the format's columns and
 * rules, a header-only template to fill in, and the upload. The server
 * checks every row and imports all or nothing, so a refusal lists each bad
 * row with its number and reason, and says plainly that nothing was
 * imported; focus moves to that list.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { OPTIONAL_COLUMNS, RESPONSES_CSV_COLUMNS } from '../../shared/domain/responses-csv/columns';
import type { RowError } from '../../shared/domain/responses-csv/parse';
import { apiSendText, asProblem } from '../core/api';
import { useCoordinatorT } from '../core/i18n';
import { invalidateViews } from '../core/use-api';
import { problemText } from '../ui/problem-text';
import { StatusLine, type Status } from '../ui/StatusLine';
import { downloadCsv, responsesToCsv } from './csv';

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

/** The format's rules in a sentence each; docs/responses-csv.md has the details. */
const RULES = ['rows', 'status', 'values', 'dates', 'actions', 'rowNumbers'] as const;

export function ResponsesImport() {
  const { t } = useCoordinatorT();
  const form = useRef<HTMLFormElement>(null);
  const problems = useRef<HTMLHeadingElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<Status>(null);
  const [rejected, setRejected] = useState<RowError[] | null>(null);
  // Too long for a live region: focus moves to the list's heading ("Nothing was imported: …"), which is read
  // out. An effect runs after React has committed the heading; a frame callback could run before that on a
  // busy phone and find nothing to focus.
  useEffect(() => {
    if (rejected) problems.current?.focus();
  }, [rejected]);

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
