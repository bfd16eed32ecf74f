/**
 * Adding or changing one agenda session, checked with the shared
 * AgendaSession schema before sending. Dates stay within the workshop's
 * days; the join link is offered only when the workshop is online or
 * hybrid.
 */
import { useRef, useState, type FormEvent } from 'react';
import { AgendaSession } from '../../shared/schemas/workshop';
import { apiRequest, asProblem } from '../core/api';
import { useCoordinatorT } from '../core/i18n';
import type { WorkshopDetail } from '../core/types';
import { invalidateViews } from '../core/use-api';
import { ToolChoices } from '../tools/ToolChoices';
import { Field, focusFirstInvalid } from '../ui/field';
import { fieldErrors, type FieldErrors } from '../ui/form-errors';
import { linesOf, newId } from '../ui/form-values';
import { problemText } from '../ui/problem-text';
import { StatusLine, type Status } from '../ui/StatusLine';

interface Draft {
  date: string;
  start: string;
  end: string;
  title: string;
  description: string;
  speakers: string;
  room: string;
  status: 'scheduled' | 'cancelled';
  joinUrl: string;
  toolSlugs: string[];
}

function draftOf(s: AgendaSession | null, defaultDate: string): Draft {
  return {
    date: s?.date ?? defaultDate,
    start: s?.start ?? '09:00',
    end: s?.end ?? '10:30',
    title: s?.title ?? '',
    description: s?.description ?? '',
    speakers: (s?.speakers ?? []).join('\n'),
    room: s?.room ?? '',
    status: s?.status ?? 'scheduled',
    joinUrl: s?.joinUrl ?? '',
    toolSlugs: s?.toolSlugs ?? [],
  };
}

export function SessionForm({
  detail,
  session,
  onDone,
}: {
  detail: WorkshopDetail;
  session: AgendaSession | null;
  onDone: (message: string | null) => void;
}) {
  const { t } = useCoordinatorT();
  const w = detail.workshop;
  const lastDate = detail.sessions.at(-1)?.date ?? w.startDate;
  const [d, setD] = useState<Draft>(() => draftOf(session, lastDate));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [status, setStatus] = useState<Status>(null);
  const [busy, setBusy] = useState(false);
  const [id] = useState(() => session?.id ?? newId());
  const form = useRef<HTMLFormElement>(null);
  const set = (key: Exclude<keyof Draft, 'toolSlugs'>, value: string) => setD((prev) => ({ ...prev, [key]: value }));
  const online = w.mode !== 'in-person';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = AgendaSession.safeParse({
      id,
      workshopId: w.id,
      date: d.date,
      start: d.start,
      end: d.end,
      title: d.title,
      description: d.description,
      speakers: linesOf(d.speakers),
      room: d.room,
      status: d.status,
      joinUrl: online && d.joinUrl.trim() !== '' ? d.joinUrl.trim() : null,
      toolSlugs: d.toolSlugs,
      sample: session?.sample ?? false,
    });
    if (!parsed.success) {
      const found = fieldErrors(parsed.error);
      // The shared message for links speaks of official sources; this one is a meeting.
      if (found.joinUrl) found.joinUrl = { key: 'agenda.joinUrlInvalid' };
      setErrors(found);
      setStatus({ tone: 'error', text: t('form.fixErrors') });
      requestAnimationFrame(() => focusFirstInvalid(form.current));
      return;
    }
    setErrors({});
    setBusy(true);
    setStatus({ tone: 'info', text: t('form.saving') });
    try {
      await apiRequest('PUT', `/agenda-sessions/${id}`, parsed.data);
      invalidateViews();
      onDone(t('agenda.saved', { title: parsed.data.title }));
    } catch (err) {
      setStatus({ tone: 'error', text: problemText(t, asProblem(err)) });
      setBusy(false);
    }
  };

  const input = (key: 'date' | 'start' | 'end' | 'title' | 'room', label: string, type = 'text') => (
    <Field label={label} name={key} errors={errors}>
      {(p) => (
        <input
          {...p}
          className="input"
          type={type}
          value={d[key]}
          min={type === 'date' ? w.startDate : undefined}
          max={type === 'date' ? w.endDate : undefined}
          onChange={(e) => set(key, e.target.value)}
        />
      )}
    </Field>
  );

  return (
    <form ref={form} className="form c-form c-subform" onSubmit={(e) => void submit(e)} noValidate>
      <h3>{session ? t('agenda.editTitle') : t('agenda.newTitle')}</h3>
      {input('title', t('agenda.field.title'))}
      <div className="c-row c-row-3">
        {input('date', t('agenda.field.date'), 'date')}
        {input('start', t('agenda.field.start'), 'time')}
        {input('end', t('agenda.field.end'), 'time')}
      </div>
      <Field label={t('agenda.field.description')} name="description" errors={errors}>
        {(p) => (
          <textarea
            {...p}
            className="input"
            rows={3}
            value={d.description}
            onChange={(e) => set('description', e.target.value)}
          />
        )}
      </Field>
      <Field label={t('agenda.field.speakers')} hint={t('form.onePerLine')} name="speakers" errors={errors}>
        {(p) => (
          <textarea
            {...p}
            className="input"
            rows={2}
            value={d.speakers}
            onChange={(e) => set('speakers', e.target.value)}
          />
        )}
      </Field>
      {input('room', t('agenda.field.room'))}
      {online && (
        <Field label={t('agenda.field.joinUrl')} hint={t('agenda.hint.joinUrl')} name="joinUrl" errors={errors}>
          {(p) => (
            <input
              {...p}
              className="input"
              type="url"
              inputMode="url"
              autoComplete="off"
              spellCheck={false}
              dir="ltr"
              placeholder="https://"
              value={d.joinUrl}
              onChange={(e) => set('joinUrl', e.target.value)}
            />
          )}
        </Field>
      )}
      <ToolChoices
        label={(count) => t('agenda.field.tools', { count })}
        hint={t('agenda.hint.tools')}
        selected={d.toolSlugs}
        error={errors.toolSlugs}
        onChange={(slugs) => setD((prev) => ({ ...prev, toolSlugs: slugs }))}
      />
      <Field label={t('agenda.field.status')} name="status" errors={errors}>
        {(p) => (
          <select {...p} className="input" value={d.status} onChange={(e) => set('status', e.target.value)}>
            <option value="scheduled">{t('agenda.scheduled')}</option>
            <option value="cancelled">{t('agenda.cancelled')}</option>
          </select>
        )}
      </Field>
      <p className="c-inline-actions">
        <button type="submit" className="button" disabled={busy}>
          {t('agenda.save')}
        </button>
        <button type="button" className="button button-secondary" onClick={() => onDone(null)}>
          {t('form.cancel')}
        </button>
      </p>
      <StatusLine status={status} />
    </form>
  );
}
