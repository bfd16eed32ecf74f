/**
 * The notice on a record the server merged with an edit from another phone:
 * the record on screen is the merged one, and the participant can see what
 * each field had before it was replaced.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { getDb } from '../../device/db/database';

async function unseenFor(recordIds: readonly string[]): Promise<number> {
  if (recordIds.length === 0) return 0;
  const rows = await getDb()
    .conflicts.where('recordId')
    .anyOf([...recordIds])
    .toArray();
  return rows.filter((c) => !c.seen).length;
}

export function MergeNotice({ recordIds }: { recordIds: readonly string[] }) {
  const { t } = useTranslation('form');
  const key = recordIds.join(',');
  const unseen = useLiveQuery(() => unseenFor(recordIds), [key]);
  if (!unseen) return null;
  return (
    <p className="notice notice-warn merge-notice">
      {t('changes.mergedNotice')} <Link href="/follow-up/changes">{t('changes.seeReplaced')}</Link>
    </p>
  );
}
