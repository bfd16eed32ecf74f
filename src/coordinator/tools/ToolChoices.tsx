/**
 * Ticks for the WCO tool summaries a workshop or a session covers, read
 * from the server's list. A slug whose summary was withdrawn stays listed
 * while it is ticked, so it can be unticked rather than kept invisibly.
 * Shared by the workshop form and the agenda's session form.
 */
import { useId } from 'react';
import { Loading } from '../../client/ui/screen';
import { useCoordinatorT } from '../core/i18n';
import type { ToolList } from '../core/types';
import { useApi } from '../core/use-api';
import type { FieldMessage } from '../ui/form-errors';

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
