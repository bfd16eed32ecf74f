/**
 * The end-of-workshop evaluation: overall, relevance, materials and
 * facilitation rated 1 to 5, and a comment. It opens at the start of the
 * workshop's last day (in the workshop's zone) and can be changed later;
 * the regional plan aims for an average of at least 4 of 5.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { evaluationOpen } from '../../../shared/domain/survey-window';
import { Loading, Screen } from '../../ui/screen';
import { getDb } from '../../../device/db/database';
import { createRecord, updateRecord, ValidationError } from '../../../device/db/writes';
import { intlLocale } from '../../i18n/format';
import { notifyLocalWrite } from '../../sync/scheduler';
import { MergeNotice } from '../../ui/MergeNotice';
import { NotAParticipant } from '../../ui/NotAParticipant';
import { formatIsoDate } from '../../i18n/dates';
import { problemAt, problemsFromFieldIssues, type FieldProblem } from '../../ui/field-messages';
import { describedBy, ErrorSummary, errorId, FieldError, ReceiptLine } from '../../ui/form';
import { attended, getEvaluation, receiptsOf, type EvaluationRow } from '../../content/records';
import { getWorkshop, localizedWorkshop } from '../../content/workshops';
import {
  averageRating,
  draftOf,
  emptyEvaluation,
  evaluationProblems,
  fieldsOf,
  RATING_FIELDS,
  TARGET_AVERAGE,
  type EvaluationDraft,
  type RatingField,
} from './evaluation-form';
import './evaluation.css';

export default function EvaluationScreen({ workshopId }: { workshopId: string }) {
  const { t, i18n } = useTranslation(['evaluation', 'form']);
  const db = getDb();
  const workshop = useLiveQuery(() => getWorkshop(workshopId), [workshopId]);
  const isParticipant = useLiveQuery(() => attended(db, workshopId), [workshopId]);
  const evaluation = useLiveQuery(() => getEvaluation(db, workshopId), [workshopId]);
  const title = t('evaluation.title');
  const named = workshop ? localizedWorkshop(workshop, i18n.language) : null;
  const back = (
    <p className="back-link">
      <Link href={`/workshops/${workshopId}`}>
        {/* An English title in a right-to-left interface keeps its own direction beside the arrow. */}
        {named ? <bdi lang={named.titleLang}>{named.title}</bdi> : t('common.backToWorkshop')}
      </Link>
    </p>
  );
  if (workshop === undefined || isParticipant === undefined || evaluation === undefined) {
    return (
      <Screen title={title} back={back}>
        <Loading />
      </Screen>
    );
  }
  if (!workshop || !isParticipant) {
    return (
      <Screen title={title} back={back}>
        <NotAParticipant />
      </Screen>
    );
  }
  const lead = (
    <p className="lead" dir="auto" lang={named?.titleLang}>
      {named?.title}
    </p>
  );
  if (!evaluationOpen(workshop, new Date())) {
    return (
      <Screen title={title} back={back} lead={lead}>
        <p className="notice">
          {t('evaluation.notYet', { date: formatIsoDate(i18n.language, workshop.endDate, workshop.timeZone) })}
        </p>
      </Screen>
    );
  }
  return (
    <Screen title={title} back={back} lead={lead}>
      {evaluation && <MergeNotice recordIds={[evaluation.id]} />}
      <EvaluationForm workshopId={workshopId} evaluation={evaluation} />
    </Screen>
  );
}

function EvaluationForm({ workshopId, evaluation }: { workshopId: string; evaluation: EvaluationRow | null }) {
  const { t, i18n } = useTranslation(['evaluation', 'form']);
  const [draft, setDraft] = useState<EvaluationDraft>(() => (evaluation ? draftOf(evaluation) : emptyEvaluation()));
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [saving, setSaving] = useState(false);
  const [outcome, setOutcome] = useState<'saved' | 'failed' | null>(null);
  const summary = useRef<HTMLDivElement>(null);
  const receipts = useLiveQuery(
    async () => (evaluation ? receiptsOf(getDb(), [evaluation.id]) : null),
    [evaluation?.id],
  );
  const average = averageRating(draft);
  const number = new Intl.NumberFormat(intlLocale(i18n.language), { maximumFractionDigits: 1 });

  const rate = (field: RatingField, value: number) => {
    setDraft((d) => ({ ...d, ratings: { ...d.ratings, [field]: value } }));
    setProblems((ps) => ps.filter((p) => p.path !== field));
    setOutcome(null);
  };

  async function save(event: FormEvent) {
    event.preventDefault();
    setOutcome(null);
    const found = evaluationProblems(draft);
    setProblems(found);
    if (found.length > 0) {
      requestAnimationFrame(() => summary.current?.focus());
      return;
    }
    setSaving(true);
    try {
      const db = getDb();
      if (evaluation) await updateRecord(db, 'evaluations', evaluation.id, fieldsOf(draft));
      else await createRecord(db, 'evaluations', { workshopId, ...fieldsOf(draft) });
      notifyLocalWrite();
      setOutcome('saved');
    } catch (error) {
      if (error instanceof ValidationError) setProblems(problemsFromFieldIssues(error.issues));
      setOutcome('failed');
    } finally {
      setSaving(false);
    }
  }

  return (
    <form className="form followup-form" noValidate onSubmit={(e) => void save(e)}>
      <p className="field-hint">{t('evaluation.lead')}</p>
      <ErrorSummary
        ref={summary}
        problems={problems}
        fieldIdOf={(path) => `rate-${path}`}
        labelOf={(path) => t(`fields.${path}`)}
      />
      {RATING_FIELDS.map((field) => {
        const id = `rate-${field}`;
        const problem = problemAt(problems, field);
        return (
          <fieldset
            key={field}
            className="question rating"
            id={id}
            tabIndex={-1}
            aria-describedby={describedBy(`${id}-hint`, problem && errorId(id))}
          >
            <legend className="legend">{t(`evaluation.${field}`)}</legend>
            <p className="field-hint" id={`${id}-hint`}>
              {t('evaluation.scale')}
            </p>
            <FieldError id={id} problem={problem} />
            <div className="rating-options">
              {[1, 2, 3, 4, 5].map((value) => (
                <label key={value} className="choice rating-choice">
                  <input
                    type="radio"
                    name={field}
                    value={value}
                    checked={draft.ratings[field] === value}
                    onChange={() => rate(field, value)}
                  />
                  <span>{number.format(value)}</span>
                </label>
              ))}
            </div>
          </fieldset>
        );
      })}
      <div className="field">
        <label htmlFor="evaluation-comment">{t('evaluation.comment')}</label>
        <textarea
          id="evaluation-comment"
          className="input textarea"
          rows={4}
          maxLength={2000}
          dir="auto"
          value={draft.comment}
          aria-invalid={problemAt(problems, 'comment') ? true : undefined}
          aria-describedby={describedBy(problemAt(problems, 'comment') && errorId('evaluation-comment'))}
          onChange={(e) => {
            const comment = e.target.value;
            setDraft((d) => ({ ...d, comment }));
            setOutcome(null);
          }}
        />
        <FieldError id="evaluation-comment" problem={problemAt(problems, 'comment')} />
      </div>
      {average !== null && (
        <p className={average >= TARGET_AVERAGE ? 'notice notice-ok' : 'notice'}>
          {t('evaluation.average', { average: number.format(average), target: number.format(TARGET_AVERAGE) })}
        </p>
      )}
      <div role="status">
        {outcome === 'saved' && <p className="notice notice-ok">{t('evaluation.saved')}</p>}
        {outcome === 'failed' && <p className="field-error">{t('evaluation.saveFailed')}</p>}
      </div>
      {evaluation && <ReceiptLine receipt={receipts?.get(evaluation.id)} />}
      <p className="form-actions">
        <button type="submit" className="button" disabled={saving}>
          {evaluation ? t('evaluation.update') : t('evaluation.save')}
        </button>
      </p>
    </form>
  );
}
