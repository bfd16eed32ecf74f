/**
 * Small pieces the coordinator screens share: labelled form fields that
 * carry their error and hint to screen readers, the status line that
 * announces saves, the note shown when a view comes from the cache, and the
 * table wrapper that scrolls inside itself on a narrow phone instead of
 * widening the page.
 */
import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Loading } from '../client/ui/screen';
import { formatMoment, intlLocale } from '../client/i18n/format';
import type { ApiProblem } from './api';
import type { FieldErrors } from './form-errors';
import type { Cell, Grid } from './report-grids';
import type { ApiView } from './use-api';

export function useCoordinatorT() {
  return useTranslation('coordinator');
}

interface FieldProps {
  label: string;
  hint?: string;
  /** Dotted field path, to find its error. */
  name: string;
  errors: FieldErrors;
  children: (props: {
    id: string;
    name: string;
    'aria-invalid': boolean | undefined;
    'aria-describedby': string | undefined;
  }) => ReactNode;
}

export function Field({ label, hint, name, errors, children }: FieldProps) {
  const { t } = useCoordinatorT();
  const id = useId();
  const error = errors[name];
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {children({
        id,
        name,
        'aria-invalid': error ? true : undefined,
        'aria-describedby': describedBy || undefined,
      })}
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {t(error.key, error.values)}
        </p>
      )}
    </div>
  );
}

/** Moves focus to the first field the form marked invalid, so keyboard and screen-reader users land on it. */
/** The languages published content can carry besides English. */
export const TRANSLATED = ['fr', 'pt', 'fa'] as const;
export type Translated = (typeof TRANSLATED)[number];

/**
 * The optional translations of a title and a longer text, one fieldset per
 * language, each written in its own direction. Shared by the workshop form
 * and the tool summary editor.
 */
export function TranslationFields<K extends string>({
  summary,
  hint,
  titleLabel,
  textLabel,
  textKey,
  rows,
  values,
  errors,
  onChange,
}: {
  summary: string;
  hint?: string;
  titleLabel: string;
  textLabel: string;
  textKey: K;
  rows: number;
  values: Record<Translated, Record<'title' | K, string>>;
  errors: FieldErrors;
  onChange: (lng: Translated, key: 'title' | K, value: string) => void;
}) {
  const { t } = useCoordinatorT();
  return (
    <details className="c-details">
      <summary>{summary}</summary>
      {hint && <p className="field-hint">{hint}</p>}
      {TRANSLATED.map((lng) => (
        <fieldset key={lng} className="c-fieldset" lang={lng} dir={lng === 'fa' ? 'rtl' : 'ltr'}>
          <legend>{t(`language.${lng}`)}</legend>
          <Field label={titleLabel} name={`translations.${lng}.title`} errors={errors}>
            {(p) => (
              <input
                {...p}
                className="input"
                value={values[lng].title}
                onChange={(e) => onChange(lng, 'title', e.target.value)}
              />
            )}
          </Field>
          <Field label={textLabel} name={`translations.${lng}.${textKey}`} errors={errors}>
            {(p) => (
              <textarea
                {...p}
                className="input"
                rows={rows}
                value={values[lng][textKey]}
                onChange={(e) => onChange(lng, textKey, e.target.value)}
              />
            )}
          </Field>
        </fieldset>
      ))}
    </details>
  );
}

export function focusFirstInvalid(form: HTMLFormElement | null): void {
  const first = form?.querySelector<HTMLElement>('[aria-invalid="true"]');
  first?.focus();
}

export type Status = { tone: 'ok' | 'error' | 'info'; text: string } | null;

/** A polite live region: saves and failures are announced without moving focus. */
export function StatusLine({ status }: { status: Status }) {
  return (
    <p className={`c-status${status ? ` c-status-${status.tone}` : ''}`} role="status" aria-live="polite">
      {status?.text ?? ''}
    </p>
  );
}

/** A server refusal in the coordinator's words, with the server's own (English) detail after it. */
export function problemText(t: (key: string, values?: Record<string, string>) => string, problem: ApiProblem): string {
  if (problem.offline) return t('errors.offline');
  if (problem.status === 401) return t('errors.session');
  if (problem.status === 403) return t('errors.forbidden');
  if (problem.status === 404) return t('errors.notFound');
  if (problem.status === 429) return t('errors.rateLimited');
  if (problem.status >= 500) return t('errors.server');
  return t('errors.refused', { message: problem.message });
}

/**
 * The loading / failed / from-the-cache states of an API view. Children
 * render only with data; a failed refresh over older data says how old.
 */
export function ViewState<T>({ view, children }: { view: ApiView<T>; children: (data: T) => ReactNode }) {
  const { t, i18n } = useCoordinatorT();
  if (view.data === undefined) {
    if (view.error)
      return (
        <div className="notice notice-warn" role="alert">
          <p>{problemText(t, view.error)}</p>
          <p>
            <button type="button" className="button button-secondary" onClick={view.reload}>
              {t('common.retry')}
            </button>
          </p>
        </div>
      );
    return <Loading />;
  }
  return (
    <>
      {view.error && (
        <p className="notice notice-warn c-stale">
          {t('common.stale', { time: view.fetchedAt ? formatMoment(i18n.language, view.fetchedAt) : '?' })}{' '}
          <button type="button" className="c-link-button" onClick={view.reload}>
            {t('common.retry')}
          </button>
        </p>
      )}
      {children(view.data)}
    </>
  );
}

/**
 * A table that scrolls sideways inside its own box. The box is focusable
 * and named after the table, so keyboard users can scroll it too.
 */
export function ScrollTable({ labelledBy, children }: { labelledBy: string; children: ReactNode }) {
  return (
    <div className="c-table-wrap" role="region" aria-labelledby={labelledBy} tabIndex={0}>
      {children}
    </div>
  );
}

function CellView({ cell }: { cell: Cell }) {
  if (cell === null) return null;
  return <>{cell}</>;
}

/**
 * A report grid as an HTML table: the workshop (second column) heads each
 * row, numbers align to the end, total rows sit in the table foot.
 */
export function GridTable({
  grid,
  caption,
  id,
  rowHeader = 1,
}: {
  grid: Grid;
  caption: string;
  id: string;
  /** The column that names each row: the workshop (1) in the report's tables. */
  rowHeader?: number;
}) {
  const captionId = `${id}-caption`;
  const numeric = (cell: Cell) => typeof cell === 'number';
  return (
    <ScrollTable labelledBy={captionId}>
      <table className="c-table" id={id}>
        <caption id={captionId}>{caption}</caption>
        <thead>
          <tr>
            {grid.head.map((h, i) => (
              <th key={i} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {grid.body.map((row, r) => (
            <tr key={r}>
              {row.map((cell, c) =>
                c === rowHeader ? (
                  <th key={c} scope="row" dir="auto">
                    <CellView cell={cell} />
                  </th>
                ) : (
                  <td key={c} className={numeric(cell) ? 'c-num' : undefined}>
                    <CellView cell={cell} />
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
        {grid.foot.length > 0 && (
          <tfoot>
            {grid.foot.map((row, r) => (
              <tr key={r}>
                {row.map((cell, c) =>
                  c === rowHeader ? (
                    <th key={c} scope="row">
                      <CellView cell={cell} />
                    </th>
                  ) : (
                    <td key={c} className={numeric(cell) ? 'c-num' : undefined}>
                      <CellView cell={cell} />
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tfoot>
        )}
      </table>
    </ScrollTable>
  );
}

/**
 * "10:42", "3 Mar, 10:42", or "23 May 2021" for another year: replies and
 * syncs can be years old in the workspace, unlike on a participant's phone.
 */
export function formatWhen(locale: string, iso: string, now: Date = new Date()): string {
  const at = new Date(iso);
  if (at.getFullYear() === now.getFullYear()) return formatMoment(locale, iso, now);
  return new Intl.DateTimeFormat(intlLocale(locale), { day: 'numeric', month: 'short', year: 'numeric' }).format(at);
}

/** A new record id: the server accepts any UUID version. */
export function newId(): string {
  return crypto.randomUUID();
}

/** "One per line" text areas for lists (organisers, speakers). */
export function linesOf(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}
