/**
 * The loading / failed / from-the-cache states of an API view (core/use-api.ts).
 * Children render only with data; a failed refresh over older data says how
 * old it is, so a coordinator at a venue with no connection knows what they
 * are reading.
 */
import type { ReactNode } from 'react';
import { Loading } from '../../client/ui/screen';
import { formatMoment } from '../../client/i18n/format';
import { useCoordinatorT } from '../core/i18n';
import type { ApiView } from '../core/use-api';
import { problemText } from './problem-text';

export function ViewState<T>({ view, children }: { view: ApiView<T>; children: (data: T) => ReactNode }) {
  const { t, i18n } = useCoordinatorT();
  if (view.data === undefined) {
    if (view.error)
      return (
        <div className="notice notice-warn" role="alert">
          <p>{problemText(t, view.error)}</p>
          <p>
            <button type="button" className="button button-secondary" onClick={view.reload}>
              {t('common.retry')}
            </button>
          </p>
        </div>
      );
    return <Loading />;
  }
  return (
    <>
      {view.error && (
        <p className="notice notice-warn c-stale">
          {t('common.stale', { time: view.fetchedAt ? formatMoment(i18n.language, view.fetchedAt) : '?' })}{' '}
          <button type="button" className="c-link-button" onClick={view.reload}>
            {t('common.retry')}
          </button>
        </p>
      )}
      {children(view.data)}
    </>
  );
}
