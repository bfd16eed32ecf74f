/**
 * The roster's phone cell: a participant's phones, unfolded on demand,
 * when each last synced, and a way to revoke a lost or handed-on phone (it
 * then erases the participant's data the next time it reaches the server).
 */
import { useState } from 'react';
import { apiRequest, asProblem } from '../core/api';
import { useCoordinatorT } from '../core/i18n';
import type { RosterParticipant } from '../core/types';
import { invalidateViews, useApi } from '../core/use-api';
import { formatWhen } from '../ui/format-when';
import { problemText } from '../ui/problem-text';
import { StatusLine, type Status } from '../ui/StatusLine';

interface DeviceRow {
  id: string;
  name: string;
  createdAt: string;
  lastSeenAt: string | null;
  revokedAt: string | null;
}

export function PhoneCell({ participant: p }: { participant: RosterParticipant }) {
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
