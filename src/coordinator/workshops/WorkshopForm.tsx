/**
 * The workshop form: every field of the shared Workshop schema, checked
 * with that same schema before sending, so what the form accepts the server
 * accepts. A draft stays on the server; "published" sends it to every phone
 * at its next sync. Its values and the record they make are in
 * workshop-draft.ts.
 */
import { useMemo, useRef, useState, type FormEvent } from 'react';
import { Workshop, WorkshopKind, WorkshopMode } from '../../shared/schemas/workshop';
import { apiRequest, asProblem } from '../core/api';
import { useCoordinatorT } from '../core/i18n';
import { invalidateViews } from '../core/use-api';
import { ToolChoices } from '../tools/ToolChoices';
import { Field, focusFirstInvalid } from '../ui/field';
import { fieldErrors, type FieldErrors } from '../ui/form-errors';
import { problemText } from '../ui/problem-text';
import { StatusLine, type Status } from '../ui/StatusLine';
import { TranslationFields } from '../ui/TranslationFields';
import type { Translated } from '../ui/translated';
import { AdministrationChoices } from './AdministrationChoices';
import { candidateOf, draftOf, ERROR_PATH, type Draft, type TextKey } from './workshop-draft';

function timeZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
}

export function WorkshopForm({
  id,
  workshop,
  onSaved,
}: {
  id: string;
  /** Null for a new workshop. */
  workshop: Workshop | null;
  onSaved: (saved: Workshop) => void;
}) {
  const { t } = useCoordinatorT();
  const [d, setD] = useState<Draft>(() => draftOf(workshop));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [status, setStatus] = useState<Status>(null);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const zones = useMemo(() => timeZones(), []);

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setD((prev) => ({ ...prev, [key]: value }));
  const setTr = (lng: Translated, key: 'title' | 'summary', value: string) =>
    setD((prev) => ({
      ...prev,
      translations: { ...prev.translations, [lng]: { ...prev.translations[lng], [key]: value } },
    }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = Workshop.safeParse(candidateOf(id, d));
    if (!parsed.success) {
      setErrors(fieldErrors(parsed.error));
      setStatus({ tone: 'error', text: t('form.fixErrors') });
      // After React has rendered the aria-invalid marks.
      requestAnimationFrame(() => focusFirstInvalid(form.current));
      return;
    }
    setErrors({});
    setBusy(true);
    setStatus({ tone: 'info', text: t('form.saving') });
    try {
      await apiRequest('PUT', `/workshops/${id}`, parsed.data);
      invalidateViews();
      setStatus({
        tone: 'ok',
        text: parsed.data.status === 'published' ? t('workshop.savedPublished') : t('workshop.savedDraft'),
      });
      onSaved(parsed.data);
    } catch (err) {
      setStatus({ tone: 'error', text: problemText(t, asProblem(err)) });
    } finally {
      setBusy(false);
    }
  };

  const text = (key: TextKey, label: string, hint?: string, type = 'text') => (
    <Field label={label} hint={hint} name={ERROR_PATH[key] ?? key} errors={errors}>
      {(p) => (
        <input
          {...p}
          className="input"
          type={type}
          inputMode={type === 'number' ? 'numeric' : undefined}
          value={d[key]}
          onChange={(e) => setD((prev) => ({ ...prev, [key]: e.target.value }))}
        />
      )}
    </Field>
  );

  return (
    <form ref={form} className="form c-form" onSubmit={(e) => void submit(e)} noValidate>
      {text('title', t('workshop.field.title'), t('workshop.hint.title'))}
      <div className="c-row">
        <Field label={t('workshop.field.kind')} name="kind" errors={errors}>
          {(p) => (
            <select
              {...p}
              className="input"
              value={d.kind}
              onChange={(e) => set('kind', e.target.value as WorkshopKind)}
            >
              {WorkshopKind.options.map((k) => (
                <option key={k} value={k}>
                  {t(`kind.${k}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('workshop.field.mode')} name="mode" errors={errors}>
          {(p) => (
            <select
              {...p}
              className="input"
              value={d.mode}
              onChange={(e) => set('mode', e.target.value as WorkshopMode)}
            >
              {WorkshopMode.options.map((m) => (
                <option key={m} value={m}>
                  {t(`mode.${m}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      {text('topic', t('workshop.field.topic'), t('workshop.hint.topic'))}
      <Field label={t('workshop.field.summary')} name="summary" errors={errors}>
        {(p) => (
          <textarea
            {...p}
            className="input"
            rows={5}
            value={d.summary}
            onChange={(e) => set('summary', e.target.value)}
          />
        )}
      </Field>
      <div className="c-row">
        {text('startDate', t('workshop.field.startDate'), undefined, 'date')}
        {text('endDate', t('workshop.field.endDate'), undefined, 'date')}
      </div>
      <Field label={t('workshop.field.timeZone')} hint={t('workshop.hint.timeZone')} name="timeZone" errors={errors}>
        {(p) => (
          <>
            <input
              {...p}
              className="input"
              list="c-time-zones"
              autoComplete="off"
              spellCheck={false}
              dir="ltr"
              value={d.timeZone}
              onChange={(e) => set('timeZone', e.target.value)}
            />
            <datalist id="c-time-zones">
              {zones.map((z) => (
                <option key={z} value={z} />
              ))}
            </datalist>
          </>
        )}
      </Field>
      <fieldset className="c-fieldset">
        <legend>{t('workshop.field.venue')}</legend>
        <p className="field-hint">{d.mode === 'online' ? t('workshop.hint.venueOnline') : t('workshop.hint.venue')}</p>
        {errors.venue && <p className="field-error">{t(errors.venue.key)}</p>}
        {text('venueName', t('workshop.field.venueName'))}
        <div className="c-row">
          <Field label={t('workshop.field.city')} name="venue.city" errors={errors}>
            {(p) => (
              <input {...p} className="input" value={d.venueCity} onChange={(e) => set('venueCity', e.target.value)} />
            )}
          </Field>
          <Field label={t('workshop.field.country')} name="venue.country" errors={errors}>
            {(p) => (
              <input
                {...p}
                className="input"
                value={d.venueCountry}
                onChange={(e) => set('venueCountry', e.target.value)}
              />
            )}
          </Field>
        </div>
      </fieldset>
      <Field label={t('workshop.field.organisers')} hint={t('form.onePerLine')} name="organisers" errors={errors}>
        {(p) => (
          <textarea
            {...p}
            className="input"
            rows={3}
            value={d.organisers}
            onChange={(e) => set('organisers', e.target.value)}
          />
        )}
      </Field>
      {text('sponsor', t('workshop.field.sponsor'), t('workshop.hint.sponsor'))}
      <AdministrationChoices selected={d.administrations} onChange={(codes) => set('administrations', codes)} />
      <ToolChoices
        label={(count) => t('workshop.field.tools', { count })}
        hint={t('workshop.hint.tools')}
        selected={d.toolSlugs}
        error={errors.toolSlugs}
        onChange={(slugs) => set('toolSlugs', slugs)}
      />
      <fieldset className="c-fieldset">
        <legend>{t('workshop.field.survey')}</legend>
        <p className="field-hint">{t('workshop.hint.survey')}</p>
        <div className="c-row">
          {text('surveyOpensAfterMonths', t('workshop.field.surveyOpensAfterMonths'), undefined, 'number')}
          {text('surveyDueAfterDays', t('workshop.field.surveyDueAfterDays'), undefined, 'number')}
        </div>
      </fieldset>
      <TranslationFields
        summary={t('workshop.translations')}
        hint={t('workshop.hint.translations')}
        titleLabel={t('workshop.field.title')}
        textLabel={t('workshop.field.summary')}
        textKey="summary"
        rows={3}
        values={d.translations}
        errors={errors}
        onChange={setTr}
      />
      <fieldset className="c-fieldset choice-group">
        <legend>{t('workshop.field.status')}</legend>
        {(['draft', 'published'] as const).map((s) => (
          <label key={s} className="choice">
            <input type="radio" name="status" value={s} checked={d.status === s} onChange={() => set('status', s)} />
            <span>
              {t(`status.${s}`)} <span className="muted">— {t(`status.${s}Hint`)}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <button type="submit" className="button" disabled={busy}>
        {workshop ? t('form.save') : t('workshop.create')}
      </button>
      <StatusLine status={status} />
    </form>
  );
}
