/**
 * Logging or editing one follow-up action: its kind (the six of the ROCB A/P
 * questionnaire), date, a short description, with whom and how for shared
 * materials, attendees for an in-house workshop, and evidence files. Saving
 * writes to the phone at once (record, outbox and waiting files in one
 * transaction); sending happens later, by itself. This file loads the
 * action and decides what to show; the form itself is ActionForm.tsx.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import { Link, useSearch } from 'wouter';
import { Loading, Screen } from '../../ui/screen';
import { getDb } from '../../../device/db/database';
import { MergeNotice } from '../../ui/MergeNotice';
import { NotAParticipant } from '../../ui/NotAParticipant';
import { attended } from '../../content/records';
import { ActionForm } from './ActionForm';
import { getAction, pendingFiles } from './queries';
import './followup.css';

export default function ActionFormScreen({ workshopId, actionId }: { workshopId: string; actionId?: string }) {
  const { t } = useTranslation(['followup', 'form']);
  const db = getDb();
  const isParticipant = useLiveQuery(() => attended(db, workshopId), [workshopId]);
  // undefined: loading; null: not found (or deleted meanwhile).
  const action = useLiveQuery(async () => (actionId ? getAction(db, actionId) : null), [actionId]);
  const pending = useLiveQuery(async () => (actionId ? pendingFiles(db, actionId) : []), [actionId]);
  const material = useMaterialTitle();
  const title = actionId ? t('form.editTitle') : t('form.newTitle');
  const back = (
    <p className="back-link">
      <Link href={`/workshops/${workshopId}/follow-up`}>{t('log.title')}</Link>
    </p>
  );

  if (isParticipant === undefined || action === undefined || pending === undefined || material === undefined) {
    return (
      <Screen title={title} back={back}>
        <Loading />
      </Screen>
    );
  }
  if (!isParticipant) {
    return (
      <Screen title={title} back={back}>
        <NotAParticipant />
      </Screen>
    );
  }
  if (actionId && action === null) {
    return (
      <Screen title={title} back={back}>
        <p>{t('form.notFound')}</p>
      </Screen>
    );
  }
  return (
    <Screen title={title} back={back}>
      {action && <MergeNotice recordIds={[action.id]} />}
      <ActionForm
        // A record that changes underneath (a sync) does not reset what is being typed.
        key={action?.id ?? 'new'}
        workshopId={workshopId}
        action={action}
        pending={pending}
        sharedTitle={material}
      />
    </Screen>
  );
}

/** The title of the material named in ?material=, when the form was opened from a share ('' otherwise). */
function useMaterialTitle(): string | undefined {
  const params = new URLSearchParams(useSearch());
  const materialId = params.get('material');
  return useLiveQuery(
    async () => (materialId ? ((await getDb().materials.get(materialId))?.title ?? '') : ''),
    [materialId],
  );
}
