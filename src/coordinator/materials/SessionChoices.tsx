/**
 * Ticks for the agenda sessions a material serves, day by day in agenda
 * order, in the workshop's own time zone: phones list the material under
 * each ticked session.
 */
import { useId } from 'react';
import { formatDay } from '../../client/i18n/format';
import type { AgendaSession } from '../../shared/schemas/workshop';
import { useCoordinatorT } from '../core/i18n';

export function SessionChoices({
  sessions,
  timeZone,
  selected,
  error,
  onChange,
}: {
  sessions: AgendaSession[];
  timeZone: string;
  selected: string[];
  error: string | null;
  onChange: (ids: string[]) => void;
}) {
  const { t, i18n } = useCoordinatorT();
  const id = useId();
  const toggle = (sid: string, on: boolean) =>
    onChange(on ? [...selected, sid] : selected.filter((chosen) => chosen !== sid));
  return (
    <details className="c-details">
      <summary id={`${id}-label`}>{t('materials.field.sessions', { count: selected.length })}</summary>
      <p className="field-hint" id={`${id}-hint`}>
        {t('materials.hint.sessions')}
      </p>
      {sessions.length === 0 ? (
        <p className="muted">{t('materials.noSessions')}</p>
      ) : (
        <div role="group" aria-labelledby={`${id}-label`} aria-describedby={`${id}-hint`}>
          {[...new Set(sessions.map((s) => s.date))].map((day) => (
            <fieldset key={day} className="c-fieldset">
              <legend>{formatDay(i18n.language, day, timeZone)}</legend>
              {sessions
                .filter((s) => s.date === day)
                .map((s) => (
                  <label key={s.id} className="c-check">
                    <input
                      type="checkbox"
                      checked={selected.includes(s.id)}
                      onChange={(e) => toggle(s.id, e.target.checked)}
                    />
                    <span>
                      <span dir="ltr">
                        {s.start}–{s.end}
                      </span>{' '}
                      <span dir="auto">{s.title}</span>
                    </span>
                  </label>
                ))}
            </fieldset>
          ))}
        </div>
      )}
      {error && <p className="field-error">{error}</p>}
    </details>
  );
}
