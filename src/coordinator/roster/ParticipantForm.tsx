/**
 * Adding a participant to the workshop's roster, checked with the shared
 * Participant schema before sending. The workshop's own administrations are
 * offered first, since that is who attends.
 */
import { useRef, useState, type FormEvent } from 'react';
import { MEMBERS } from '../../shared/domain/members';
import { Participant } from '../../shared/schemas/participant';
import { apiRequest, asProblem } from '../core/api';
import { useCoordinatorT } from '../core/i18n';
import { invalidateViews } from '../core/use-api';
import { Field, focusFirstInvalid } from '../ui/field';
import { fieldErrors, type FieldErrors } from '../ui/form-errors';
import { newId } from '../ui/form-values';
import { problemText } from '../ui/problem-text';
import { StatusLine, type Status } from '../ui/StatusLine';

export function ParticipantForm({
  workshopId,
  administrations,
  onDone,
}: {
  workshopId: string;
  administrations: string[];
  onDone: () => void;
}) {
  const { t } = useCoordinatorT();
  const [fullName, setFullName] = useState('');
  const [email, setEmail] = useState('');
  const [memberCode, setMemberCode] = useState(administrations[0] ?? '');
  const [position, setPosition] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [status, setStatus] = useState<Status>(null);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  // The workshop's own administrations first: that is who attends.
  const members = [...MEMBERS].sort(
    (a, b) =>
      Number(administrations.includes(b.code)) - Number(administrations.includes(a.code)) ||
      a.name.localeCompare(b.name),
  );

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const id = newId();
    const parsed = Participant.safeParse({
      id,
      fullName,
      email: email.trim() === '' ? null : email.trim(),
      memberCode,
      position,
    });
    if (!parsed.success) {
      setErrors(fieldErrors(parsed.error));
      setStatus({ tone: 'error', text: t('form.fixErrors') });
      requestAnimationFrame(() => focusFirstInvalid(form.current));
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await apiRequest('POST', '/participants', { participant: parsed.data, workshopIds: [workshopId] });
      invalidateViews();
      setStatus({ tone: 'ok', text: t('roster.addedNamed', { name: parsed.data.fullName }) });
      setFullName('');
      setEmail('');
      setPosition('');
    } catch (err) {
      setStatus({ tone: 'error', text: problemText(t, asProblem(err)) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form ref={form} className="form c-form c-subform" onSubmit={(e) => void submit(e)} noValidate>
      <h3>{t('roster.addTitle')}</h3>
      <Field label={t('roster.field.fullName')} name="fullName" errors={errors}>
        {(p) => (
          <input
            {...p}
            className="input"
            autoComplete="off"
            value={fullName}
            onChange={(e) => setFullName(e.target.value)}
          />
        )}
      </Field>
      <Field label={t('roster.field.email')} hint={t('roster.hint.email')} name="email" errors={errors}>
        {(p) => (
          <input
            {...p}
            className="input"
            type="email"
            autoComplete="off"
            dir="ltr"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        )}
      </Field>
      <Field label={t('roster.field.administration')} name="memberCode" errors={errors}>
        {(p) => (
          <select {...p} className="input" value={memberCode} onChange={(e) => setMemberCode(e.target.value)}>
            <option value="">{t('roster.chooseAdministration')}</option>
            {members.map((m) => (
              <option key={m.code} value={m.code}>
                {m.name} ({m.code})
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('roster.field.position')} name="position" errors={errors}>
        {(p) => <input {...p} className="input" value={position} onChange={(e) => setPosition(e.target.value)} />}
      </Field>
      <p className="c-inline-actions">
        <button type="submit" className="button" disabled={busy}>
          {t('roster.addSubmit')}
        </button>
        <button type="button" className="button button-secondary" onClick={onDone}>
          {t('form.close')}
        </button>
      </p>
      <StatusLine status={status} />
    </form>
  );
}
