/**
 * A workshop's roster: who attended, whether their phone is enrolled and
 * when it last synced, enrolment codes (one at a time or for everyone not
 * yet enrolled) and the printable sheet of QR codes for the workshop room.
 * New participants are added here; taking someone off the roster removes
 * the workshop's participants-only materials from their phone.
 */
import { useState } from 'react';
import { Link } from 'wouter';
import { apiRequest, asProblem } from '../core/api';
import { useCoordinatorT } from '../core/i18n';
import type { RosterParticipant, WorkshopDetail } from '../core/types';
import { invalidateViews } from '../core/use-api';
import { problemText } from '../ui/problem-text';
import { ScrollTable } from '../ui/ScrollTable';
import { StatusLine, type Status } from '../ui/StatusLine';
import { issueCode, useIssuedCodes } from './codes';
import { ParticipantForm } from './ParticipantForm';
import { PhoneCell } from './PhoneCell';

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
