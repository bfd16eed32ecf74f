/**
 * A workshop's materials: upload a file (resumable, with progress), name
 * it, choose who may download it and the agenda sessions it serves (phones
 * list it under each). Files are stored by their SHA-256, so replacing a
 * file gives it a new hash: the server raises the material's version and
 * phones show it as updated. A file the server already has is not sent
 * again.
 */
import { useState } from 'react';
import { Badge } from '../../client/ui/screen';
import { formatBytes, formatLanguageName } from '../../client/i18n/format';
import type { Material } from '../../shared/schemas/workshop';
import { API, apiRequest, asProblem } from '../core/api';
import { useCoordinatorT } from '../core/i18n';
import type { WorkshopDetail } from '../core/types';
import { invalidateViews } from '../core/use-api';
import { problemText } from '../ui/problem-text';
import { StatusLine, type Status } from '../ui/StatusLine';
import { MaterialForm } from './MaterialForm';

export default function MaterialsTab({ detail }: { detail: WorkshopDetail }) {
  const { t, i18n } = useCoordinatorT();
  const [editing, setEditing] = useState<Material | 'new' | null>(detail.materials.length === 0 ? 'new' : null);
  const [status, setStatus] = useState<Status>(null);

  const withdraw = async (m: Material) => {
    if (!window.confirm(t('materials.withdrawConfirm', { title: m.title }))) return;
    try {
      await apiRequest('DELETE', `/materials/${m.id}`);
      invalidateViews();
      setStatus({ tone: 'ok', text: t('materials.withdrawn', { title: m.title }) });
    } catch (err) {
      setStatus({ tone: 'error', text: problemText(t, asProblem(err)) });
    }
  };

  return (
    <section aria-labelledby="c-materials-heading">
      <h2 id="c-materials-heading">{t('workshop.tab.materials')}</h2>
      <p className="field-hint">{t('materials.lead')}</p>
      {detail.materials.length === 0 ? (
        <p className="muted">{t('materials.empty')}</p>
      ) : (
        <ul className="material-list">
          {detail.materials.map((m) => (
            <li key={m.id} className="material">
              <p className="material-title" dir="auto">
                {m.audience === 'public' ? (
                  <a href={`${API}/files/${m.sha256}`} target="_blank" rel="noopener noreferrer">
                    {m.title}
                  </a>
                ) : (
                  m.title
                )}
                {m.version > 1 && <Badge tone="ok">{t('materials.version', { version: m.version })}</Badge>}
              </p>
              <p className="muted">
                {formatLanguageName(i18n.language, m.language)} · {formatBytes(i18n.language, m.byteSize)} ·{' '}
                {t(`materials.audience.${m.audience}`)}
              </p>
              <p className="c-inline-actions">
                <button type="button" className="c-link-button" onClick={() => setEditing(m)}>
                  {t('materials.editNamed', { name: m.title })}
                </button>
                <button type="button" className="c-link-button c-danger" onClick={() => void withdraw(m)}>
                  {t('materials.withdrawNamed', { name: m.title })}
                </button>
              </p>
            </li>
          ))}
        </ul>
      )}
      <StatusLine status={status} />
      {editing === null ? (
        <p>
          <button type="button" className="button" onClick={() => setEditing('new')}>
            {t('materials.add')}
          </button>
        </p>
      ) : (
        <MaterialForm
          key={editing === 'new' ? 'new' : editing.id}
          workshopId={detail.workshop.id}
          timeZone={detail.workshop.timeZone}
          sessions={detail.sessions}
          material={editing === 'new' ? null : editing}
          onDone={(message) => {
            setEditing(null);
            if (message) setStatus({ tone: 'ok', text: message });
          }}
        />
      )}
    </section>
  );
}
