/**
 * A labelled form field that carries its error and hint to screen readers,
 * and the focus move to the first invalid field after a refused submit, so
 * keyboard and screen-reader users land on what needs fixing.
 */
import { useId, type ReactNode } from 'react';
import { useCoordinatorT } from '../core/i18n';
import type { FieldErrors } from './form-errors';

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

/** Moves focus to the first field the form marked invalid. */
export function focusFirstInvalid(form: HTMLFormElement | null): void {
  const first = form?.querySelector<HTMLElement>('[aria-invalid="true"]');
  first?.focus();
}
