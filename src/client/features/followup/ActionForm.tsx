/**
 * The form of one follow-up action: the fields the kind calls for, evidence
 * files, the check with the shared schema on Save and the translated
 * messages at the fields. Saving writes the record, its outbox entry and
 * its waiting files in one transaction, then returns to the log.
 */
import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useSearch } from 'wouter';
import { ACTION_KINDS, ActionKind } from '../../../shared/schemas/followup';
import { getDb, type PendingUpload } from '../../../device/db/database';
import { ValidationError } from '../../../device/db/writes';
import { notifyLocalWrite } from '../../sync/scheduler';
import {
  actionProblems,
  draftFromRecord,
  draftFromShare,
  emptyDraft,
  fieldsOf,
  SHARE_CHANNELS,
  showsAttendees,
  showsAudience,
  showsChannel,
  type ActionDraft,
} from './action-form';
import { todayOnDevice } from '../../i18n/dates';
import { createActionWithEvidence, updateActionWithEvidence } from './evidence';
import { EvidencePicker, NO_EVIDENCE_CHANGES, type EvidenceChanges } from './EvidencePicker';
import { problemAt, problemsFromFieldIssues, type FieldProblem } from '../../ui/field-messages';
import { describedBy, ErrorSummary, errorId, FieldError } from '../../ui/form';
import type { ActionRow } from '../../content/records';
import './followup.css';

const FIELD_IDS: Record<string, string> = {
  kind: 'action-kind',
  date: 'action-date',
  description: 'action-description',
  audience: 'action-audience',
  channel: 'action-channel',
  attendees: 'action-attendees',
};

export function ActionForm({
  workshopId,
  action,
  pending,
  sharedTitle,
}: {
  workshopId: string;
  action: ActionRow | null;
  pending: PendingUpload[];
  sharedTitle: string;
}) {
  const { t } = useTranslation(['followup', 'form']);
  const [, navigate] = useLocation();
  const params = new URLSearchParams(useSearch());
  const today = todayOnDevice();
  const [draft, setDraft] = useState<ActionDraft>(() => {
    if (action) return draftFromRecord(action);
    if (sharedTitle) return draftFromShare(today, t('share.description', { title: sharedTitle }));
    const kind = ActionKind.safeParse(params.get('kind'));
    return emptyDraft(today, kind.success ? kind.data : '');
  });
  const [evidence, setEvidence] = useState<EvidenceChanges>(NO_EVIDENCE_CHANGES);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [saving, setSaving] = useState(false);
  const [saveFailed, setSaveFailed] = useState(false);
  const summary = useRef<HTMLDivElement>(null);
  const hintId = useId();

  const set = <K extends keyof ActionDraft>(key: K, value: ActionDraft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    // A fixed field stops showing its old message.
    setProblems((ps) => ps.filter((p) => p.path !== key));
  };

  async function save(event: FormEvent) {
    event.preventDefault();
    setSaveFailed(false);
    const found = actionProblems(draft);
    setProblems(found);
    if (found.length > 0) {
      requestAnimationFrame(() => summary.current?.focus());
      return;
    }
    setSaving(true);
    try {
      const db = getDb();
      const fields = fieldsOf(draft);
      const saved = action
        ? await updateActionWithEvidence(db, action.id, fields, evidence)
        : await createActionWithEvidence(db, { ...fields, workshopId }, evidence.add);
      notifyLocalWrite();
      navigate(`/workshops/${workshopId}/follow-up?saved=${saved.id}`);
    } catch (error) {
      setSaving(false);
      if (error instanceof ValidationError) {
        setProblems(problemsFromFieldIssues(error.issues));
        requestAnimationFrame(() => summary.current?.focus());
      } else setSaveFailed(true);
    }
  }

  const labelOf = (path: string) => t(`fields.${path.split('.')[0]!}`);
  const invalid = (field: string) => (problemAt(problems, field) ? true : undefined);

  return (
    <form className="form followup-form" noValidate onSubmit={(e) => void save(e)}>
      <ErrorSummary
        ref={summary}
        problems={problems}
        fieldIdOf={(path) => FIELD_IDS[path.split('.')[0]!] ?? 'action-kind'}
        labelOf={labelOf}
      />
      <fieldset
        className="choice-group"
        id={FIELD_IDS.kind}
        tabIndex={-1}
        aria-describedby={describedBy(invalid('kind') && errorId(FIELD_IDS.kind!))}
      >
        <legend className="legend">{t('form.kind')}</legend>
        <FieldError id={FIELD_IDS.kind!} problem={problemAt(problems, 'kind')} />
        {ACTION_KINDS.map((kind) => (
          <label key={kind} className="choice">
            <input
              type="radio"
              name="kind"
              value={kind}
              checked={draft.kind === kind}
              onChange={() => set('kind', kind)}
            />
            <span>{t(`kinds.${kind}`)}</span>
          </label>
        ))}
      </fieldset>

      <div className="field">
        <label htmlFor={FIELD_IDS.date}>{t('form.dateLabel')}</label>
        <input
          id={FIELD_IDS.date}
          type="date"
          className="input input-date"
          value={draft.date}
          max={today}
          required
          aria-invalid={invalid('date')}
          aria-describedby={describedBy(invalid('date') && errorId(FIELD_IDS.date!))}
          onChange={(e) => set('date', e.target.value)}
        />
        <FieldError id={FIELD_IDS.date!} problem={problemAt(problems, 'date')} />
      </div>

      <div className="field">
        <label htmlFor={FIELD_IDS.description}>{t('form.descriptionLabel')}</label>
        <p className="field-hint" id={hintId}>
          {t(`form.descriptionHint.${draft.kind || 'none'}`)}
        </p>
        <textarea
          id={FIELD_IDS.description}
          className="input textarea"
          rows={4}
          maxLength={2000}
          dir="auto"
          value={draft.description}
          required
          aria-invalid={invalid('description')}
          aria-describedby={describedBy(hintId, invalid('description') && errorId(FIELD_IDS.description!))}
          onChange={(e) => set('description', e.target.value)}
        />
        <FieldError id={FIELD_IDS.description!} problem={problemAt(problems, 'description')} />
      </div>

      {showsAudience(draft.kind) && (
        <div className="field">
          <label htmlFor={FIELD_IDS.audience}>{t(`form.audienceLabel.${draft.kind}`)}</label>
          <input
            id={FIELD_IDS.audience}
            className="input"
            maxLength={300}
            dir="auto"
            value={draft.audience}
            aria-invalid={invalid('audience')}
            aria-describedby={describedBy(invalid('audience') && errorId(FIELD_IDS.audience!))}
            onChange={(e) => set('audience', e.target.value)}
          />
          <FieldError id={FIELD_IDS.audience!} problem={problemAt(problems, 'audience')} />
        </div>
      )}

      {showsChannel(draft.kind) && (
        <div className="field">
          <label htmlFor={FIELD_IDS.channel}>{t('form.channelLabel')}</label>
          <select
            id={FIELD_IDS.channel}
            className="input"
            value={draft.channel}
            onChange={(e) => set('channel', e.target.value as ActionDraft['channel'])}
          >
            <option value="">{t('form.channelNone')}</option>
            {SHARE_CHANNELS.map((c) => (
              <option key={c} value={c}>
                {t(`channels.${c}`)}
              </option>
            ))}
          </select>
        </div>
      )}

      {showsAttendees(draft.kind) && (
        <div className="field">
          <label htmlFor={FIELD_IDS.attendees}>{t('form.attendeesLabel')}</label>
          <input
            id={FIELD_IDS.attendees}
            className="input input-number"
            inputMode="numeric"
            pattern="[0-9]*"
            value={draft.attendees}
            aria-invalid={invalid('attendees')}
            aria-describedby={describedBy(invalid('attendees') && errorId(FIELD_IDS.attendees!))}
            onChange={(e) => set('attendees', e.target.value)}
          />
          <FieldError id={FIELD_IDS.attendees!} problem={problemAt(problems, 'attendees')} />
        </div>
      )}

      <EvidencePicker uploaded={action?.evidence ?? []} pending={pending} changes={evidence} onChange={setEvidence} />

      <div role="status">{saveFailed && <p className="field-error">{t('form.saveFailed')}</p>}</div>
      <p className="form-actions">
        <button type="submit" className="button" disabled={saving}>
          {saving ? t('form.saving') : t('form.save')}
        </button>
        <Link href={`/workshops/${workshopId}/follow-up`} className="button button-secondary">
          {t('form.cancel')}
        </Link>
      </p>
      <p className="field-hint">{t('form.offlineHint')}</p>
    </form>
  );
}
