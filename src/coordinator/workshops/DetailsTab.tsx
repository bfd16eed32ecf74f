/**
 * A workshop's details: the workshop form, and withdrawing the workshop
 * (phones remove it at their next sync).
 */
import { useState } from 'react';
import { useLocation } from 'wouter';
import { apiRequest, asProblem } from '../core/api';
import { useCoordinatorT } from '../core/i18n';
import type { WorkshopDetail } from '../core/types';
import { invalidateViews } from '../core/use-api';
import { problemText } from '../ui/problem-text';
import { StatusLine, type Status } from '../ui/StatusLine';
import { WorkshopForm } from './WorkshopForm';

export function DetailsTab({ detail }: { detail: WorkshopDetail }) {
  const { t } = useCoordinatorT();
  const [, navigate] = useLocation();
  const [status, setStatus] = useState<Status>(null);
  const withdraw = async () => {
    if (!window.confirm(t('workshop.withdrawConfirm', { title: detail.workshop.title }))) return;
    try {
      await apiRequest('DELETE', `/workshops/${detail.workshop.id}`);
      invalidateViews();
      navigate('/');
    } catch (err) {
      setStatus({ tone: 'error', text: problemText(t, asProblem(err)) });
    }
  };
  return (
    <section aria-labelledby="c-details-heading">
      <h2 id="c-details-heading">{t('workshop.tab.details')}</h2>
      <WorkshopForm id={detail.workshop.id} workshop={detail.workshop} onSaved={() => undefined} />
      <section aria-labelledby="c-withdraw-heading" className="c-danger-zone">
        <h3 id="c-withdraw-heading">{t('workshop.withdrawTitle')}</h3>
        <p className="field-hint">{t('workshop.withdrawHint')}</p>
        <button type="button" className="button button-secondary c-danger" onClick={() => void withdraw()}>
          {t('workshop.withdraw')}
        </button>
        <StatusLine status={status} />
      </section>
    </section>
  );
}
