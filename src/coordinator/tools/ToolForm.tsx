/**
 * Writing a tool summary in Markdown with a live preview rendered exactly as
 * phones render it: markdown-to-jsx with raw HTML switched off, so nothing
 * typed here can run script or pull in a remote image. Translations of the
 * title and body are optional; phones fall back to the English text.
 */
import { useDeferredValue, useRef, useState, type FormEvent } from 'react';
import { useLocation } from 'wouter';
import { SafeMarkdown } from '../../client/ui/SafeMarkdown';
import { ToolSummary } from '../../shared/schemas/workshop';
import { apiRequest, asProblem } from '../core/api';
import { useCoordinatorT } from '../core/i18n';
import { invalidateViews } from '../core/use-api';
import { Field, focusFirstInvalid } from '../ui/field';
import { fieldErrors, type FieldErrors } from '../ui/form-errors';
import { newId } from '../ui/form-values';
import { problemText } from '../ui/problem-text';
import { StatusLine, type Status } from '../ui/StatusLine';
import { TRANSLATED, type Translated } from '../ui/translated';
import { TranslationFields } from '../ui/TranslationFields';

interface Draft {
  slug: string;
  title: string;
  body: string;
  officialUrl: string;
  tags: string;
  translations: Record<Translated, { title: string; body: string }>;
}

function draftOf(tool: ToolSummary | null): Draft {
  const tr = (lng: Translated) => ({
    title: tool?.translations[lng]?.title ?? '',
    body: tool?.translations[lng]?.body ?? '',
  });
  return {
    slug: tool?.slug ?? '',
    title: tool?.title ?? '',
    body: tool?.body ?? '',
    officialUrl: tool?.officialUrl ?? 'https://www.wcoomd.org/',
    tags: (tool?.tags ?? []).join(', '),
    translations: { fr: tr('fr'), pt: tr('pt'), fa: tr('fa') },
  };
}

/** "Revised Kyoto Convention" → "revised-kyoto-convention", the address phones open. */
function slugOf(title: string): string {
  return title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
}

export function ToolForm({ tool }: { tool: ToolSummary | null }) {
  const { t } = useCoordinatorT();
  const [, navigate] = useLocation();
  const [id] = useState(() => tool?.id ?? newId());
  const [d, setD] = useState<Draft>(() => draftOf(tool));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [status, setStatus] = useState<Status>(null);
  const [busy, setBusy] = useState(false);
  /** Saved at least once: later saves replace it (same id), and it can be withdrawn. */
  const [exists, setExists] = useState(tool !== null);
  const form = useRef<HTMLFormElement>(null);
  // Typing stays smooth on a long body: the preview catches up between keystrokes.
  const preview = useDeferredValue(d.body);
  const set = (key: 'slug' | 'title' | 'body' | 'officialUrl' | 'tags', value: string) =>
    setD((prev) => ({ ...prev, [key]: value }));
  const setTr = (lng: Translated, key: 'title' | 'body', value: string) =>
    setD((prev) => ({
      ...prev,
      translations: { ...prev.translations, [lng]: { ...prev.translations[lng], [key]: value } },
    }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const translations: Record<string, { title?: string; body?: string }> = {};
    for (const lng of TRANSLATED) {
      const { title, body } = d.translations[lng];
      if (title.trim() || body.trim())
        translations[lng] = { ...(title.trim() ? { title } : {}), ...(body.trim() ? { body } : {}) };
    }
    const parsed = ToolSummary.safeParse({
      id,
      slug: d.slug.trim() || slugOf(d.title),
      title: d.title,
      body: d.body,
      officialUrl: d.officialUrl.trim(),
      tags: d.tags
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
      translations,
    });
    if (!parsed.success) {
      setErrors(fieldErrors(parsed.error));
      setStatus({ tone: 'error', text: t('form.fixErrors') });
      requestAnimationFrame(() => focusFirstInvalid(form.current));
      return;
    }
    setErrors({});
    setBusy(true);
    setStatus({ tone: 'info', text: t('form.saving') });
    try {
      await apiRequest('PUT', `/tool-summaries/${id}`, parsed.data);
      invalidateViews();
      setD((prev) => ({ ...prev, slug: parsed.data.slug }));
      setStatus({ tone: 'ok', text: t('tools.saved') });
      setExists(true);
    } catch (err) {
      const problem = asProblem(err);
      if (problem.code === 'slug_taken') {
        setErrors({ slug: { key: 'errors.slugTaken' } });
        setStatus({ tone: 'error', text: t('form.fixErrors') });
      } else setStatus({ tone: 'error', text: problemText(t, problem) });
    } finally {
      setBusy(false);
    }
  };

  const withdraw = async () => {
    if (!exists || !window.confirm(t('tools.withdrawConfirm', { title: d.title }))) return;
    try {
      await apiRequest('DELETE', `/tool-summaries/${id}`);
      invalidateViews();
      navigate('/tools');
    } catch (err) {
      setStatus({ tone: 'error', text: problemText(t, asProblem(err)) });
    }
  };

  return (
    <form ref={form} className="form c-form" onSubmit={(e) => void submit(e)} noValidate>
      <Field label={t('tools.field.title')} name="title" errors={errors}>
        {(p) => <input {...p} className="input" value={d.title} onChange={(e) => set('title', e.target.value)} />}
      </Field>
      <Field label={t('tools.field.slug')} hint={t('tools.hint.slug')} name="slug" errors={errors}>
        {(p) => (
          <input
            {...p}
            className="input"
            dir="ltr"
            spellCheck={false}
            value={d.slug}
            placeholder={slugOf(d.title)}
            onChange={(e) => set('slug', e.target.value)}
          />
        )}
      </Field>
      <div className="c-md">
        <Field label={t('tools.field.body')} hint={t('tools.hint.body')} name="body" errors={errors}>
          {(p) => (
            <textarea
              {...p}
              className="input c-md-input"
              rows={16}
              dir="auto"
              value={d.body}
              onChange={(e) => set('body', e.target.value)}
            />
          )}
        </Field>
        <section className="c-md-preview" aria-labelledby="c-preview-heading">
          <h2 id="c-preview-heading" className="c-md-preview-title">
            {t('tools.preview')}
          </h2>
          <div className="prose" dir="auto">
            {preview.trim() === '' ? (
              <p className="muted">{t('tools.previewEmpty')}</p>
            ) : (
              <SafeMarkdown preview>{preview}</SafeMarkdown>
            )}
          </div>
        </section>
      </div>
      <Field label={t('tools.field.officialUrl')} hint={t('tools.hint.officialUrl')} name="officialUrl" errors={errors}>
        {(p) => (
          <input
            {...p}
            className="input"
            type="url"
            dir="ltr"
            value={d.officialUrl}
            onChange={(e) => set('officialUrl', e.target.value)}
          />
        )}
      </Field>
      <Field label={t('tools.field.tags')} hint={t('tools.hint.tags')} name="tags" errors={errors}>
        {(p) => <input {...p} className="input" value={d.tags} onChange={(e) => set('tags', e.target.value)} />}
      </Field>
      <TranslationFields
        summary={t('tools.translations')}
        titleLabel={t('tools.field.title')}
        textLabel={t('tools.field.body')}
        textKey="body"
        rows={6}
        values={d.translations}
        errors={errors}
        onChange={setTr}
      />
      <p className="c-inline-actions">
        <button type="submit" className="button" disabled={busy}>
          {exists ? t('form.save') : t('tools.create')}
        </button>
        {exists && (
          <button type="button" className="button button-secondary c-danger" onClick={() => void withdraw()}>
            {t('tools.withdraw')}
          </button>
        )}
      </p>
      <StatusLine status={status} />
    </form>
  );
}
