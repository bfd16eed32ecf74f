/**
 * Evidence files for an action (a photo of the in-house session, the report
 * as submitted): files already on the server, files waiting on this phone,
 * and files picked now. Picking hashes the file on the phone; nothing is
 * sent from here, the uploader does that after the text has synced.
 */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Attachment } from '../../../shared/schemas/followup';
import type { PendingUpload } from '../../../device/db/database';
import { formatBytes, isolate } from '../../i18n/format';
import { MAX_EVIDENCE_FILES, prepareFile, type PickError, type PickedFile } from './evidence';

export interface EvidenceChanges {
  add: PickedFile[];
  removePending: string[];
  removeUploaded: string[];
}

/** Why a picked file was not added. */
type PickProblem = PickError | 'too-many';

export const NO_EVIDENCE_CHANGES: EvidenceChanges = { add: [], removePending: [], removeUploaded: [] };

export function EvidencePicker({
  uploaded,
  pending,
  changes,
  onChange,
}: {
  uploaded: readonly Attachment[];
  pending: readonly PendingUpload[];
  changes: EvidenceChanges;
  onChange(next: EvidenceChanges): void;
}) {
  const { t, i18n } = useTranslation(['followup', 'form']);
  const lng = i18n.language;
  const inputId = useId();
  const [problems, setProblems] = useState<{ name: string; error: PickProblem }[]>([]);
  const [reading, setReading] = useState(false);

  const keptUploaded = uploaded.filter((a) => !changes.removeUploaded.includes(a.sha256));
  const keptPending = pending.filter((p) => !changes.removePending.includes(p.id));
  const total = keptUploaded.length + keptPending.length + changes.add.length;
  const room = MAX_EVIDENCE_FILES - total;

  async function pick(files: FileList | null) {
    if (!files || files.length === 0) return;
    setReading(true);
    const added: PickedFile[] = [];
    const errors: { name: string; error: PickProblem }[] = [];
    for (const file of [...files]) {
      if (added.length >= room) {
        errors.push({ name: file.name, error: 'too-many' });
        continue;
      }
      const result = await prepareFile(file);
      if (typeof result === 'string') errors.push({ name: file.name, error: result });
      else added.push(result);
    }
    setReading(false);
    setProblems(errors);
    onChange({ ...changes, add: [...changes.add, ...added] });
  }

  return (
    <fieldset className="evidence">
      <legend>{t('evidence.legend')}</legend>
      <p className="field-hint" id={`${inputId}-hint`}>
        {t('evidence.hint', { max: MAX_EVIDENCE_FILES })}
      </p>
      {total > 0 && (
        <ul className="evidence-list">
          {keptUploaded.map((a) => (
            <li key={a.sha256}>
              <span dir="auto">{a.name}</span>{' '}
              <span className="muted">
                {formatBytes(lng, a.byteSize)}
                {t('common:common.separator')}
                {t('evidence.sent')}
              </span>
              <button
                type="button"
                className="link-button"
                onClick={() => onChange({ ...changes, removeUploaded: [...changes.removeUploaded, a.sha256] })}
              >
                {t('evidence.remove')}
                <span className="visually-hidden">: {a.name}</span>
              </button>
            </li>
          ))}
          {keptPending.map((p) => (
            <li key={p.id}>
              <span dir="auto">{p.name}</span>{' '}
              <span className="muted">
                {formatBytes(lng, p.byteSize)} ·{' '}
                {p.failure ? t(`evidence.failure.${p.failure}`) : t('evidence.waiting')}
              </span>
              <button
                type="button"
                className="link-button"
                onClick={() => onChange({ ...changes, removePending: [...changes.removePending, p.id] })}
              >
                {t('evidence.remove')}
                <span className="visually-hidden">: {p.name}</span>
              </button>
            </li>
          ))}
          {changes.add.map((f) => (
            <li key={f.id}>
              <span dir="auto">{f.name}</span>{' '}
              <span className="muted">
                {formatBytes(lng, f.byteSize)}
                {t('common:common.separator')}
                {t('evidence.new')}
              </span>
              <button
                type="button"
                className="link-button"
                onClick={() => onChange({ ...changes, add: changes.add.filter((x) => x.id !== f.id) })}
              >
                {t('evidence.remove')}
                <span className="visually-hidden">: {f.name}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {room > 0 && (
        <div className="field">
          <input
            id={inputId}
            type="file"
            multiple
            className="input input-file"
            accept="image/*,application/pdf,.doc,.docx,.ppt,.pptx,.xls,.xlsx,.txt"
            aria-describedby={`${inputId}-hint`}
            onChange={(event) => {
              const input = event.currentTarget;
              void pick(input.files).then(() => {
                // Lets the same file be picked again after removing it.
                input.value = '';
              });
            }}
          />
          {/* After the input, so the input's focus can ring it (followup.css). */}
          <label htmlFor={inputId} className="button button-secondary file-button">
            {t('evidence.add')}
          </label>
        </div>
      )}
      <div role="status">
        {reading && <p className="muted">{t('evidence.reading')}</p>}
        {problems.map((p) => (
          <p key={p.name + p.error} className="field-error">
            {t(`evidence.problem.${p.error}`, { name: isolate(p.name), max: MAX_EVIDENCE_FILES })}
          </p>
        ))}
      </div>
    </fieldset>
  );
}
