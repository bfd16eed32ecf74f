/**
 * A submitted survey answer as it was sent, with its receipt and the way to
 * amend it, and the history of every submitted revision, newest first.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getDb } from '../../../device/db/database';
import { formatInstant } from '../../i18n/dates';
import { ReceiptLine } from '../../ui/form';
import { receiptsOf, type ResponseRow } from '../../content/records';

export function SubmittedView({
  submitted,
  history,
  justSubmitted,
  onAmend,
}: {
  submitted: ResponseRow;
  history: ResponseRow[];
  justSubmitted: boolean;
  onAmend(): Promise<void>;
}) {
  const { t, i18n } = useTranslation(['survey', 'form']);
  const receipts = useLiveQuery(() => receiptsOf(getDb(), [submitted.id]), [submitted.id]);
  const [busy, setBusy] = useState(false);
  return (
    <>
      <div role="status">{justSubmitted && <p className="notice notice-ok">{t('survey.submittedNotice')}</p>}</div>
      <section aria-labelledby="submitted-heading">
        <h2 id="submitted-heading">{t('survey.submittedTitle')}</h2>
        <p>
          {t('survey.submittedOn', {
            date: submitted.submittedAt ? formatInstant(i18n.language, submitted.submittedAt) : '',
            revision: submitted.revision,
          })}
        </p>
        <ReceiptLine receipt={receipts?.get(submitted.id)} />
        <AnswersList response={submitted} />
        <p className="form-actions">
          <button
            type="button"
            className="button button-secondary"
            disabled={busy}
            onClick={() => {
              setBusy(true);
              void onAmend().finally(() => setBusy(false));
            }}
          >
            {t('survey.amend')}
          </button>
        </p>
        <p className="field-hint">{t('survey.amendHint')}</p>
      </section>
      {history.length > 1 && <HistoryList history={history} />}
    </>
  );
}

export function HistoryList({ history }: { history: ResponseRow[] }) {
  const { t, i18n } = useTranslation(['survey', 'form']);
  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">{t('survey.historyTitle')}</h2>
      <ol className="history-list" reversed>
        {history.map((r) => (
          <li key={r.id}>
            <details>
              <summary>
                {t('survey.revisionLine', {
                  revision: r.revision,
                  date: r.submittedAt ? formatInstant(i18n.language, r.submittedAt) : '',
                })}
              </summary>
              <AnswersList response={r} />
            </details>
          </li>
        ))}
      </ol>
    </section>
  );
}

function AnswersList({ response: r }: { response: ResponseRow }) {
  const { t } = useTranslation(['survey', 'form']);
  const answer = (a: { answer: string | null; details: string }) =>
    `${a.answer ? t(`answers.${a.answer}`) : t('changes.noAnswer')}${a.details ? ` — ${a.details}` : ''}`;
  const rows: [string, string][] = [
    [
      t('survey.q1'),
      [
        r.actionsTaken.length ? r.actionsTaken.map((k) => t(`kinds.${k}`)).join(', ') : t('changes.empty'),
        r.otherActions,
      ]
        .filter(Boolean)
        .join(' — '),
    ],
    [t('survey.operational'), r.lessonsApplied.operationalImprovement || t('changes.empty')],
    [t('survey.strategic'), r.lessonsApplied.strategicEmpowerment || t('changes.empty')],
    [t('survey.q3'), answer(r.directEffects)],
    [t('survey.q4'), answer(r.workEfficiency)],
    [t('survey.q5'), answer(r.newProjects)],
  ];
  return (
    <dl className="facts answers">
      {rows.map(([q, a]) => (
        <div key={q}>
          <dt>{q}</dt>
          <dd dir="auto">{a}</dd>
        </div>
      ))}
    </dl>
  );
}
