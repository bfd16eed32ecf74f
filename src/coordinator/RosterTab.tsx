/**
 * A workshop's roster: who attended, whether their phone is enrolled and
 * when it last synced, enrolment codes (one at a time or for everyone not
 * yet enrolled) and the printable sheet of QR codes for the workshop room.
 * New participants are added here; taking someone off the roster removes
 * the workshop's participants-only materials from their phone.
 */
import { useRef, useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { MEMBERS } from '../shared/domain/members';
import { Participant } from '../shared/schemas/participant';
import { apiRequest, asProblem } from './api';
import { issueCode, useIssuedCodes } from './codes';
import { fieldErrors, type FieldErrors } from './form-errors';
import {
  Field,
  focusFirstInvalid,
  formatWhen,
  newId,
  problemText,
  ScrollTable,
  StatusLine,
  useCoordinatorT,
  type Status,
} from './parts';
import { invalidateViews, useApi } from './use-api';
import type { RosterParticipant, WorkshopDetail } from './types';

export function RosterTab({ detail }: { detail: WorkshopDetail }) {
  const { t } = useCoordinatorT();
  const codes = useIssuedCodes();
  const [status, setStatus] = useState<Status>(null);
  const [busy, setBusy] = useState(false);
  const [adding, setAdding] = useState(detail.roster.length === 0);
  const w = detail.workshop;
  const notEnrolled = detail.roster.filter((p) => p.devices === 0);
  const issuedHere = detail.roster.filter((p) => codes.has(p.id)).length;

  const issue = async (people: RosterParticipant[]) => {
    setBusy(true);
    setStatus({ tone: 'info', text: t('roster.issuing') });
    let done = 0;
    try {
      for (const p of people) {
        await issueCode(p.id);
        done += 1;
      }
      setStatus({ tone: 'ok', text: t('roster.issued', { count: done }) });
    } catch (err) {
      setStatus({ tone: 'error', text: `${t('roster.issued', { count: done })} ${problemText(t, asProblem(err))}` });
    } finally {
      setBusy(false);
    }
  };

  const remove = async (p: RosterParticipant) => {
    if (!window.confirm(t('roster.removeConfirm', { name: p.fullName }))) return;
    try {
      await apiRequest('DELETE', `/coordinator/workshops/${w.id}/roster/${p.id}`);
      invalidateViews();
      setStatus({ tone: 'ok', text: t('roster.removed', { name: p.fullName }) });
    } catch (err) {
      setStatus({ tone: 'error', text: problemText(t, asProblem(err)) });
    }
  };

  return (
    <section aria-labelledby="c-roster-heading">
      <h2 id="c-roster-heading">{t('workshop.tab.roster')}</h2>
      <p className="field-hint">{t('roster.lead')}</p>
      <p className="c-inline-actions">
        <button
          type="button"
          className="button"
          disabled={busy || notEnrolled.length === 0}
          onClick={() => void issue(notEnrolled)}
        >
          {t('roster.issueAll', { count: notEnrolled.length })}
        </button>
        {issuedHere > 0 && (
          <Link href={`/workshops/${w.id}/roster/sheet`} className="button button-secondary">
            {t('roster.openSheet', { count: issuedHere })}
          </Link>
        )}
      </p>
      <StatusLine status={status} />
      {detail.roster.length === 0 ? (
        <p className="muted">{t('roster.empty')}</p>
      ) : (
        <ScrollTable labelledBy="c-roster-caption">
          <table className="c-table">
            <caption id="c-roster-caption">{t('roster.caption', { count: detail.roster.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('roster.col.name')}</th>
                <th scope="col">{t('roster.col.administration')}</th>
                <th scope="col">{t('roster.col.email')}</th>
                <th scope="col">{t('roster.col.phone')}</th>
                <th scope="col">{t('roster.col.code')}</th>
                <th scope="col">{t('roster.col.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {detail.roster.map((p) => {
                const code = codes.get(p.id);
                return (
                  <tr key={p.id}>
                    <th scope="row" dir="auto">
                      {p.fullName}
                      {p.position && <span className="c-sub">{p.position}</span>}
                    </th>
                    <td>{p.memberCode}</td>
                    <td dir="ltr">{p.email ?? '—'}</td>
                    <td>
                      <PhoneCell participant={p} />
                    </td>
                    <td>
                      {code ? (
                        <code className="c-code" dir="ltr">
                          {code.code}
                        </code>
                      ) : (
                        '—'
                      )}
                    </td>
                    <td>
                      <span className="c-inline-actions">
                        <button type="button" className="c-link-button" disabled={busy} onClick={() => void issue([p])}>
                          {code
                            ? t('roster.reissueFor', { name: p.fullName })
                            : t('roster.issueFor', { name: p.fullName })}
                        </button>
                        <button type="button" className="c-link-button c-danger" onClick={() => void remove(p)}>
                          {t('roster.removeFor', { name: p.fullName })}
                        </button>
                      </span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </ScrollTable>
      )}
      {adding ? (
        <ParticipantForm workshopId={w.id} administrations={w.administrations} onDone={() => setAdding(false)} />
      ) : (
        <p>
          <button type="button" className="button" onClick={() => setAdding(true)}>
            {t('roster.add')}
          </button>
        </p>
      )}
    </section>
  );
}

interface DeviceRow {
  id: string;
  name: string;
  createdAt: string;
  lastSeenAt: string | null;
  revokedAt: string | null;
}

/**
 * The participant's phones, unfolded on demand: when each last synced, and
 * a way to revoke a lost or handed-on phone (it then erases the
 * participant's data the next time it reaches the server).
 */
function PhoneCell({ participant: p }: { participant: RosterParticipant }) {
  const { t, i18n } = useCoordinatorT();
  const [open, setOpen] = useState(false);
  const [status, setStatus] = useState<Status>(null);
  const view = useApi<{ devices: DeviceRow[] }>(open ? `/devices?participantId=${p.id}` : null);
  if (p.devices === 0 && p.lastContact === null) return <>{t('roster.noPhone')}</>;
  const revoke = async (d: DeviceRow) => {
    if (!window.confirm(t('roster.revokeConfirm', { device: d.name, name: p.fullName }))) return;
    try {
      await apiRequest('POST', `/devices/${d.id}/revoke`);
      invalidateViews();
      setStatus({ tone: 'ok', text: t('roster.revoked', { device: d.name }) });
    } catch (err) {
      setStatus({ tone: 'error', text: problemText(t, asProblem(err)) });
    }
  };
  return (
    <details className="c-phones" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        {p.devices === 0
          ? t('roster.noPhone')
          : t('roster.phones', {
              count: p.devices,
              time: p.lastContact ? formatWhen(i18n.language, p.lastContact) : t('roster.never'),
            })}
      </summary>
      {view.data && (
        <ul className="c-phone-list">
          {view.data.devices.map((d) => (
            <li key={d.id}>
              <span dir="auto">{d.name}</span>{' '}
              <span className="muted">
                {d.revokedAt
                  ? t('roster.deviceRevoked', { time: formatWhen(i18n.language, d.revokedAt) })
                  : t('roster.deviceSeen', {
                      time: d.lastSeenAt ? formatWhen(i18n.language, d.lastSeenAt) : t('roster.never'),
                    })}
              </span>
              {!d.revokedAt && (
                <button type="button" className="c-link-button c-danger" onClick={() => void revoke(d)}>
                  {t('roster.revoke', { device: d.name })}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <StatusLine status={status} />
    </details>
  );
}

function ParticipantForm({
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
