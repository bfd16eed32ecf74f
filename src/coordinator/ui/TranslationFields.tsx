/**
 * The optional translations of a title and a longer text, one fieldset per
 * language, each written in its own direction. Shared by the workshop form
 * and the tool summary editor; phones fall back to the English text
 * where a translation is left empty.
 */
import { useCoordinatorT } from '../core/i18n';
import { Field } from './field';
import type { FieldErrors } from './form-errors';
import { TRANSLATED, type Translated } from './translated';

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
