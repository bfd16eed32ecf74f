/**
 * The workshop form: every field of the shared Workshop schema, checked
 * with that same schema before sending, so what the form accepts the server
 * accepts. A draft stays on the server; "published" sends it to every phone
 * at its next sync. The tool picker here is shared with the session form:
 * both link to the WCO tool summaries already published.
 */
import { useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { Loading } from '../client/ui/screen';
import { MEMBERS } from '../shared/domain/members';
import { SubRegion } from '../shared/schemas/member';
import { Workshop, WorkshopKind, WorkshopMode } from '../shared/schemas/workshop';
import { apiRequest, asProblem } from './api';
import { fieldErrors, type FieldErrors, type FieldMessage } from './form-errors';
import {
  Field,
  focusFirstInvalid,
  linesOf,
  problemText,
  StatusLine,
  TRANSLATED,
  TranslationFields,
  useCoordinatorT,
  type Status,
  type Translated,
} from './parts';
import { invalidateViews, useApi } from './use-api';
import type { ToolList } from './types';

/** Languages a workshop's title and summary can be translated into (the base text is English). */

interface Draft {
  title: string;
  kind: WorkshopKind;
  topic: string;
  summary: string;
  startDate: string;
  endDate: string;
  timeZone: string;
  mode: WorkshopMode;
  venueName: string;
  venueCity: string;
  venueCountry: string;
  organisers: string;
  sponsor: string;
  administrations: string[];
  surveyOpensAfterMonths: string;
  surveyDueAfterDays: string;
  status: 'draft' | 'published';
  translations: Record<Translated, { title: string; summary: string }>;
  toolSlugs: string[];
}

/** The plain text inputs, and where the schema reports their errors when the path differs. */
type TextKey =
  | 'title'
  | 'topic'
  | 'startDate'
  | 'endDate'
  | 'venueName'
  | 'sponsor'
  | 'surveyOpensAfterMonths'
  | 'surveyDueAfterDays';
const ERROR_PATH: Partial<Record<TextKey, string>> = { venueName: 'venue.name' };

function draftOf(w: Workshop | null): Draft {
  const tr = (lng: Translated) => ({
    title: w?.translations[lng]?.title ?? '',
    summary: w?.translations[lng]?.summary ?? '',
  });
  return {
    title: w?.title ?? '',
    kind: w?.kind ?? 'regional',
    topic: w?.topic ?? '',
    summary: w?.summary ?? '',
    startDate: w?.startDate ?? '',
    endDate: w?.endDate ?? '',
    // The office is in Bangkok; most online workshops keep its clock.
    timeZone: w?.timeZone ?? 'Asia/Bangkok',
    mode: w?.mode ?? 'online',
    venueName: w?.venue?.name ?? '',
    venueCity: w?.venue?.city ?? '',
    venueCountry: w?.venue?.country ?? '',
    organisers: (w?.organisers ?? ['World Customs Organization (WCO)', 'ROCB A/P']).join('\n'),
    sponsor: w?.sponsor ?? '',
    administrations: w?.administrations ?? [],
    surveyOpensAfterMonths: String(w?.surveyOpensAfterMonths ?? 6),
    surveyDueAfterDays: String(w?.surveyDueAfterDays ?? 21),
    status: w?.status ?? 'draft',
    translations: { fr: tr('fr'), pt: tr('pt'), fa: tr('fa') },
    toolSlugs: w?.toolSlugs ?? [],
  };
}

function candidateOf(id: string, d: Draft): unknown {
  const translations: Record<string, { title?: string; summary?: string }> = {};
  for (const lng of TRANSLATED) {
    const { title, summary } = d.translations[lng];
    if (title.trim() || summary.trim())
      translations[lng] = { ...(title.trim() ? { title } : {}), ...(summary.trim() ? { summary } : {}) };
  }
  const hasVenue = d.venueCity.trim() !== '' || d.venueCountry.trim() !== '' || d.venueName.trim() !== '';
  return {
    id,
    title: d.title,
    kind: d.kind,
    topic: d.topic,
    summary: d.summary,
    startDate: d.startDate,
    endDate: d.endDate,
    timeZone: d.timeZone.trim(),
    mode: d.mode,
    venue:
      d.mode === 'online' && !hasVenue
        ? null
        : { ...(d.venueName.trim() ? { name: d.venueName } : {}), city: d.venueCity, country: d.venueCountry },
    organisers: linesOf(d.organisers),
    sponsor: d.sponsor.trim() === '' ? null : d.sponsor,
    administrations: d.administrations,
    surveyOpensAfterMonths: d.surveyOpensAfterMonths.trim() === '' ? NaN : Number(d.surveyOpensAfterMonths),
    surveyDueAfterDays: d.surveyDueAfterDays.trim() === '' ? NaN : Number(d.surveyDueAfterDays),
    status: d.status,
    translations,
    toolSlugs: d.toolSlugs,
  };
}

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
      <Administrations selected={d.administrations} onChange={(codes) => set('administrations', codes)} />
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

function Administrations({ selected, onChange }: { selected: string[]; onChange: (codes: string[]) => void }) {
  const { t } = useCoordinatorT();
  const toggle = (code: string, on: boolean) =>
    onChange(on ? [...selected, code].sort() : selected.filter((c) => c !== code));
  return (
    <details className="c-details">
      <summary>{t('workshop.field.administrations', { count: selected.length })}</summary>
      <p className="field-hint">{t('workshop.hint.administrations')}</p>
      {SubRegion.options.map((region) => (
        <fieldset key={region} className="c-fieldset">
          <legend>{t(`subRegion.${region}`)}</legend>
          <div className="c-checks">
            {MEMBERS.filter((m) => m.subRegion === region).map((m) => (
              <label key={m.code} className="c-check">
                <input
                  type="checkbox"
                  checked={selected.includes(m.code)}
                  onChange={(e) => toggle(m.code, e.target.checked)}
                />
                <span>
                  {m.name} <span className="muted">({m.code})</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
      ))}
    </details>
  );
}

/**
 * Ticks for the WCO tool summaries a workshop or a session covers, read
 * from the server's list. A slug whose summary was withdrawn stays listed
 * while it is ticked, so it can be unticked rather than kept invisibly.
 */
export function ToolChoices({
  label,
  hint,
  selected,
  error,
  onChange,
}: {
  label: (count: number) => string;
  hint: string;
  selected: string[];
  error: FieldMessage | undefined;
  onChange: (slugs: string[]) => void;
}) {
  const { t } = useCoordinatorT();
  const id = useId();
  const view = useApi<ToolList>('/coordinator/tool-summaries');
  const tools = (view.data?.toolSummaries ?? []).map((entry) => entry.toolSummary);
  const known = new Set(tools.map((tool) => tool.slug));
  const withdrawn = view.data ? selected.filter((slug) => !known.has(slug)) : [];
  const toggle = (slug: string, on: boolean) =>
    onChange(on ? [...selected, slug] : selected.filter((chosen) => chosen !== slug));
  return (
    <details className="c-details">
      <summary id={`${id}-label`}>{label(selected.length)}</summary>
      <p className="field-hint" id={`${id}-hint`}>
        {hint}
      </p>
      {view.data === undefined ? (
        view.error ? (
          <p className="field-error">{t('toolChoices.unavailable')}</p>
        ) : (
          <Loading />
        )
      ) : tools.length === 0 && withdrawn.length === 0 ? (
        <p className="muted">{t('toolChoices.none')}</p>
      ) : (
        <div
          className="c-checks"
          role="group"
          aria-labelledby={`${id}-label`}
          aria-describedby={error ? `${id}-hint ${id}-error` : `${id}-hint`}
        >
          {tools.map((tool) => (
            <label key={tool.slug} className="c-check">
              <input
                type="checkbox"
                checked={selected.includes(tool.slug)}
                onChange={(e) => toggle(tool.slug, e.target.checked)}
              />
              <span dir="auto">{tool.title}</span>
            </label>
          ))}
          {withdrawn.map((slug) => (
            <label key={slug} className="c-check">
              <input type="checkbox" checked onChange={() => toggle(slug, false)} />
              <span>{t('toolChoices.withdrawn', { slug })}</span>
            </label>
          ))}
        </div>
      )}
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {t(error.key, error.values)}
        </p>
      )}
    </details>
  );
}
