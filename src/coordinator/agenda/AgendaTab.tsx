/**
 * A workshop's agenda sessions: the list in agenda order, and one form for
 * adding or changing a session. Times are the workshop's wall clock (its own
 * time zone), as they are printed on the agenda. A cancelled session stays
 * on phones, struck through, so nobody turns up for it. Sessions of an
 * online or hybrid workshop can carry the link to join them; an in-person
 * workshop's sessions cannot (the content-pack loader refuses that too).
 */
import { useState } from 'react';
import { Badge } from '../../client/ui/screen';
import { formatDay } from '../../client/i18n/format';
import type { AgendaSession } from '../../shared/schemas/workshop';
import { apiRequest, asProblem } from '../core/api';
import { useCoordinatorT } from '../core/i18n';
import type { WorkshopDetail } from '../core/types';
import { invalidateViews } from '../core/use-api';
import { problemText } from '../ui/problem-text';
import { StatusLine, type Status } from '../ui/StatusLine';
import { SessionForm } from './SessionForm';

export function AgendaTab({ detail }: { detail: WorkshopDetail }) {
  const { t, i18n } = useCoordinatorT();
  const w = detail.workshop;
  /** The session being edited, 'new' for a new one, null when the form is closed. */
  const [editing, setEditing] = useState<AgendaSession | 'new' | null>(detail.sessions.length === 0 ? 'new' : null);
  const [status, setStatus] = useState<Status>(null);

  const remove = async (s: AgendaSession) => {
    if (!window.confirm(t('agenda.deleteConfirm', { title: s.title }))) return;
    try {
      await apiRequest('DELETE', `/agenda-sessions/${s.id}`);
      invalidateViews();
      setStatus({ tone: 'ok', text: t('agenda.deleted', { title: s.title }) });
    } catch (err) {
      setStatus({ tone: 'error', text: problemText(t, asProblem(err)) });
    }
  };

  const days = [...new Set(detail.sessions.map((s) => s.date))];
  return (
    <section aria-labelledby="c-agenda-heading">
      <h2 id="c-agenda-heading">{t('workshop.tab.agenda')}</h2>
      <p className="field-hint">{t('agenda.lead', { zone: w.timeZone })}</p>
      {detail.sessions.length === 0 && <p className="muted">{t('agenda.empty')}</p>}
      {days.map((day) => (
        <div key={day}>
          <h3>{formatDay(i18n.language, day, w.timeZone)}</h3>
          <ul className="agenda-list">
            {detail.sessions
              .filter((s) => s.date === day)
              .map((s) => (
                <li key={s.id} className={`session${s.status === 'cancelled' ? ' session-cancelled' : ''}`}>
                  <p className="session-time">
                    <span dir="ltr">
                      {s.start}–{s.end}
                    </span>
                  </p>
                  <p className="session-title" dir="auto">
                    {s.title}
                    {s.status === 'cancelled' && <Badge tone="warn">{t('agenda.cancelled')}</Badge>}
                  </p>
                  {s.speakers.length > 0 && <p className="muted">{s.speakers.join(', ')}</p>}
                  <p className="c-inline-actions">
                    <button type="button" className="c-link-button" onClick={() => setEditing(s)}>
                      {t('form.editNamed', { name: s.title })}
                    </button>
                    <button type="button" className="c-link-button c-danger" onClick={() => void remove(s)}>
                      {t('form.deleteNamed', { name: s.title })}
                    </button>
                  </p>
                </li>
              ))}
          </ul>
        </div>
      ))}
      <StatusLine status={status} />
      {editing === null ? (
        <p>
          <button type="button" className="button" onClick={() => setEditing('new')}>
            {t('agenda.add')}
          </button>
        </p>
      ) : (
        <SessionForm
          key={editing === 'new' ? 'new' : editing.id}
          detail={detail}
          session={editing === 'new' ? null : editing}
          onDone={(message) => {
            setEditing(null);
            if (message) setStatus({ tone: 'ok', text: message });
          }}
        />
      )}
    </section>
  );
}
