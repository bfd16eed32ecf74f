/**
 * Form pieces the follow-up, survey and evaluation screens share: the
 * message under a field, the summary of problems that takes focus on a
 * failed submit (each item jumps to its field), and a record's receipt
 * ("saved on this phone", "sent", "file waiting").
 */
import type { Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { formatBytes } from '../i18n/format';
import type { FieldProblem } from './field-messages';
import type { Receipt } from '../content/receipts';
import './form.css';

/** The id of a field's message, for aria-describedby. */
export const errorId = (fieldId: string) => `${fieldId}-error`;

export function FieldError({ id, problem }: { id: string; problem: FieldProblem | undefined }) {
  const { t } = useTranslation('form');
  if (!problem) return null;
  return (
    <p className="field-error" id={errorId(id)}>
      {t(problem.key, problem.values)}
    </p>
  );
}

/** Joins the ids a control is described by, skipping absent ones. */
export function describedBy(...ids: (string | false | null | undefined)[]): string | undefined {
  const list = ids.filter((id): id is string => typeof id === 'string' && id !== '');
  return list.length ? list.join(' ') : undefined;
}

export function ErrorSummary({
  problems,
  fieldIdOf,
  labelOf,
  ref,
}: {
  problems: readonly FieldProblem[];
  fieldIdOf: (path: string) => string;
  labelOf: (path: string) => string;
  ref?: Ref<HTMLDivElement>;
}) {
  const { t } = useTranslation('form');
  if (problems.length === 0) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={ref}>
      <p className="error-summary-title">{t('problemsTitle', { count: problems.length })}</p>
      <ul>
        {problems.map((p) => (
          <li key={p.path}>
            <a
              href={`#${fieldIdOf(p.path)}`}
              onClick={(event) => {
                event.preventDefault();
                const target = document.getElementById(fieldIdOf(p.path));
                target?.scrollIntoView({ block: 'center' });
                target?.focus();
              }}
            >
              {labelOf(p.path)}: {t(p.key, p.values)}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function ReceiptLine({ receipt }: { receipt: Receipt | undefined }) {
  const { t, i18n } = useTranslation('form');
  if (!receipt) return null;
  return (
    <p className="receipt">
      <span className={receipt.text === 'sent' ? 'receipt-sent' : 'receipt-saved'}>
        <span aria-hidden="true">{receipt.text === 'sent' ? '✓ ' : '• '}</span>
        {receipt.text === 'sent' ? t('receipt.sent') : t('receipt.saved')}
      </span>
      {receipt.filesWaiting > 0 && (
        <span className="receipt-files">
          {t('receipt.filesWaiting', {
            count: receipt.filesWaiting,
            size: formatBytes(i18n.language, receipt.bytesWaiting),
          })}
        </span>
      )}
      {receipt.filesRefused > 0 && (
        <span className="receipt-refused">{t('receipt.filesRefused', { count: receipt.filesRefused })}</span>
      )}
    </p>
  );
}
