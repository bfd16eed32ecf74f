/**
 * Ticks for the member administrations a workshop invites, grouped by
 * sub-region: the replies screen counts reply rates by them, and the roster
 * form offers them first.
 */
import { MEMBERS } from '../../shared/domain/members';
import { SubRegion } from '../../shared/schemas/member';
import { useCoordinatorT } from '../core/i18n';

export function AdministrationChoices({
  selected,
  onChange,
}: {
  selected: string[];
  onChange: (codes: string[]) => void;
}) {
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
