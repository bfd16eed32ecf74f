/**
 * Adding or changing one material: pick a file, name it, choose who may
 * download it and the sessions it serves. The fields are checked with the
 * shared Material schema before the long part starts; then the file is
 * hashed, and sent (resumable, with progress and a pause) only when the
 * server does not already hold those bytes.
 */
import { useRef, useState, type FormEvent } from 'react';
import { formatBytes, formatLanguageName } from '../../client/i18n/format';
import { Material, type AgendaSession } from '../../shared/schemas/workshop';
import { ApiProblem, apiRequest, asProblem } from '../core/api';
import { useCoordinatorT } from '../core/i18n';
import { invalidateViews } from '../core/use-api';
import { Field, focusFirstInvalid } from '../ui/field';
import { fieldErrors, type FieldErrors } from '../ui/form-errors';
import { newId } from '../ui/form-values';
import { problemText } from '../ui/problem-text';
import { StatusLine, type Status } from '../ui/StatusLine';
import { SessionChoices } from './SessionChoices';
import { mediaTypeOf, sha256Hex, uploadFile, UploadFailed, type UploadHandle } from './upload';

const MaterialInput = Material.omit({ version: true, byteSize: true });
const LANGUAGE_CHOICES = ['en', 'fr', 'pt', 'fa', 'ru', 'zh', 'ja', 'ko', 'th', 'id', 'vi', 'mn', 'tet'];

type Phase = 'idle' | 'hashing' | 'uploading' | 'saving';

export function MaterialForm({
  workshopId,
  timeZone,
  sessions,
  material,
  onDone,
}: {
  workshopId: string;
  timeZone: string;
  sessions: AgendaSession[];
  material: Material | null;
  onDone: (message: string | null) => void;
}) {
  const { t, i18n } = useCoordinatorT();
  const [id] = useState(() => material?.id ?? newId());
  const [file, setFile] = useState<File | null>(null);
  const [title, setTitle] = useState(material?.title ?? '');
  const [language, setLanguage] = useState(material?.language ?? 'en');
  const [audience, setAudience] = useState<'public' | 'participants'>(material?.audience ?? 'public');
  // A session deleted since the material was saved is dropped rather than kept as a dangling link.
  const [sessionIds, setSessionIds] = useState<string[]>(() =>
    (material?.sessionIds ?? []).filter((sid) => sessions.some((s) => s.id === sid)),
  );
  const [errors, setErrors] = useState<FieldErrors>({});
  const [status, setStatus] = useState<Status>(null);
  const [phase, setPhase] = useState<Phase>('idle');
  const [progress, setProgress] = useState<{ sent: number; total: number } | null>(null);
  const upload = useRef<UploadHandle | null>(null);
  const form = useRef<HTMLFormElement>(null);

  const pickFile = (f: File | null) => {
    setFile(f);
    // A new material is usually named after its file; an existing one keeps its title.
    if (f && !material && title.trim() === '') setTitle(f.name.replace(/\.[^.]+$/, '').replace(/[_-]+/g, ' '));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file && !material) {
      setErrors({ file: { key: 'materials.fileRequired' } });
      setStatus({ tone: 'error', text: t('form.fixErrors') });
      requestAnimationFrame(() => focusFirstInvalid(form.current));
      return;
    }
    // Checked with a stand-in hash first, so a typo is reported before a long hash and upload.
    const base = {
      id,
      workshopId,
      title,
      language: language.trim(),
      mediaType: file ? mediaTypeOf(file) : (material?.mediaType ?? ''),
      sha256: material?.sha256 ?? '0'.repeat(64),
      audience,
      sessionIds,
      sample: material?.sample ?? false,
    };
    const check = MaterialInput.safeParse(base);
    if (!check.success) {
      setErrors(fieldErrors(check.error));
      setStatus({ tone: 'error', text: t('form.fixErrors') });
      requestAnimationFrame(() => focusFirstInvalid(form.current));
      return;
    }
    setErrors({});
    try {
      let sha256 = base.sha256;
      if (file) {
        setPhase('hashing');
        setStatus({ tone: 'info', text: t('materials.hashing') });
        sha256 = await sha256Hex(file);
      }
      const body = { ...check.data, sha256 };
      setPhase('saving');
      let saved: { materialVersion: number };
      try {
        saved = await apiRequest<{ materialVersion: number }>('PUT', `/materials/${id}`, body);
        if (file) setStatus({ tone: 'info', text: t('materials.alreadyThere') });
      } catch (err) {
        if (!(file && err instanceof ApiProblem && err.code === 'file_missing')) throw err;
        setPhase('uploading');
        setStatus({ tone: 'info', text: t('materials.uploading', { name: file.name }) });
        setProgress({ sent: 0, total: file.size });
        upload.current = uploadFile(file, sha256, (sent, total) => setProgress({ sent, total }));
        await upload.current.done;
        upload.current = null;
        setPhase('saving');
        setStatus({ tone: 'info', text: t('form.saving') });
        saved = await apiRequest<{ materialVersion: number }>('PUT', `/materials/${id}`, body);
      }
      invalidateViews();
      const updated = material !== null && saved.materialVersion > material.version;
      onDone(
        updated
          ? t('materials.savedNewVersion', { title: body.title, version: saved.materialVersion })
          : t('materials.saved', { title: body.title }),
      );
    } catch (err) {
      setPhase('idle');
      setProgress(null);
      upload.current = null;
      if (err instanceof UploadFailed) {
        setStatus({
          tone: 'error',
          text: err.status === 460 ? t('materials.corrupted') : t('materials.uploadFailed', { message: err.message }),
        });
      } else {
        setStatus({ tone: 'error', text: problemText(t, asProblem(err)) });
      }
    }
  };

  const cancelUpload = () => {
    upload.current?.abort();
    upload.current = null;
    setPhase('idle');
    setProgress(null);
    setStatus({ tone: 'info', text: t('materials.uploadPaused') });
  };

  const busy = phase !== 'idle';
  const percent = progress && progress.total > 0 ? Math.round((100 * progress.sent) / progress.total) : 0;
  return (
    <form ref={form} className="form c-form c-subform" onSubmit={(e) => void submit(e)} noValidate>
      <h3>{material ? t('materials.editTitle') : t('materials.newTitle')}</h3>
      <Field
        label={material ? t('materials.field.replaceFile') : t('materials.field.file')}
        hint={material ? t('materials.hint.replaceFile', { version: material.version }) : t('materials.hint.file')}
        name="file"
        errors={errors}
      >
        {(p) => (
          <input
            {...p}
            className="input"
            type="file"
            disabled={busy}
            onChange={(e) => pickFile(e.target.files?.[0] ?? null)}
          />
        )}
      </Field>
      <Field label={t('materials.field.title')} name="title" errors={errors}>
        {(p) => <input {...p} className="input" value={title} onChange={(e) => setTitle(e.target.value)} />}
      </Field>
      <Field label={t('materials.field.language')} hint={t('materials.hint.language')} name="language" errors={errors}>
        {(p) => (
          <>
            <input
              {...p}
              className="input"
              list="c-languages"
              dir="ltr"
              value={language}
              onChange={(e) => setLanguage(e.target.value)}
            />
            <datalist id="c-languages">
              {LANGUAGE_CHOICES.map((code) => (
                <option key={code} value={code}>
                  {formatLanguageName(i18n.language, code)}
                </option>
              ))}
            </datalist>
          </>
        )}
      </Field>
      <fieldset className="c-fieldset choice-group">
        <legend>{t('materials.field.audience')}</legend>
        {material && <p className="field-hint">{t('materials.hint.audienceFixed')}</p>}
        {(['public', 'participants'] as const).map((a) => (
          <label key={a} className="choice">
            <input
              type="radio"
              name="audience"
              value={a}
              checked={audience === a}
              disabled={material !== null}
              onChange={() => setAudience(a)}
            />
            <span>{t(`materials.audience.${a}`)}</span>
          </label>
        ))}
      </fieldset>
      <SessionChoices
        sessions={sessions}
        timeZone={timeZone}
        selected={sessionIds}
        error={errors.sessionIds ? t(errors.sessionIds.key, errors.sessionIds.values) : null}
        onChange={setSessionIds}
      />
      {phase === 'uploading' && progress && (
        <div className="c-progress">
          <label htmlFor="c-upload-progress">{t('materials.progressLabel')}</label>
          <progress id="c-upload-progress" max={100} value={percent}>
            {percent}%
          </progress>
          <p className="muted">
            {t('materials.progress', {
              sent: formatBytes(i18n.language, progress.sent),
              total: formatBytes(i18n.language, progress.total),
              percent,
            })}
          </p>
          <button type="button" className="button button-secondary" onClick={cancelUpload}>
            {t('materials.pause')}
          </button>
        </div>
      )}
      <p className="c-inline-actions">
        <button type="submit" className="button" disabled={busy}>
          {file ? t('materials.uploadAndSave') : t('form.save')}
        </button>
        <button type="button" className="button button-secondary" disabled={busy} onClick={() => onDone(null)}>
          {t('form.cancel')}
        </button>
      </p>
      <StatusLine status={status} />
    </form>
  );
}
