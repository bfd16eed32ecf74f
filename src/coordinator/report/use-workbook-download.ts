/**
 * Saves an XLSX file, saying so while the writer loads (the first time it
 * comes over the network) and if it fails.
 */
import { useState } from 'react';
import { useCoordinatorT } from '../core/i18n';
import type { Status } from '../ui/StatusLine';

export function useWorkbookDownload(): {
  status: Status;
  busy: boolean;
  save: (make: () => Promise<void>) => void;
} {
  const { t } = useCoordinatorT();
  const [status, setStatus] = useState<Status>(null);
  const [busy, setBusy] = useState(false);
  const save = (make: () => Promise<void>) => {
    setBusy(true);
    setStatus({ tone: 'info', text: t('report.xlsxPreparing') });
    make()
      .then(
        () => setStatus(null),
        () => setStatus({ tone: 'error', text: t('report.xlsxFailed') }),
      )
      .finally(() => setBusy(false));
  };
  return { status, busy, save };
}
