/**
 * One material: its details, whether it is on the phone, and Open, Share,
 * Download or Remove. Search results land here; it reads IndexedDB only, so
 * it opens offline like every other screen.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { Loading, Screen } from '../../ui/screen';
import { getDb, type Stored } from '../../../device/db/database';
import { removeDownloads } from '../../../device/downloads/store';
import { formatBytes } from '../../i18n/format';
import { isUpdatedSince, readSeenMaterials } from '../../content/seen-materials';
import { getWorkshop, localizedWorkshop } from '../../content/workshops';
import { MaterialItem, type ShareOffer } from './MaterialItem';
import { useDownloadManager, usePackPlan } from './use-downloads';

export default function MaterialScreen({ id, shareOffer }: { id: string; shareOffer?: ShareOffer }) {
  const { t } = useTranslation('materials');
  const material = useLiveQuery(async () => {
    const row = await getDb().materials.get(id);
    return row && !row._deleted ? row : null;
  }, [id]);

  if (material === undefined) {
    return (
      <Screen title={t('materialScreen.title')}>
        <Loading />
      </Screen>
    );
  }
  if (material === null) {
    return (
      <Screen title={t('materialScreen.notFoundTitle')}>
        <p>{t('materialScreen.notFound')}</p>
        <p>
          <Link href="/">{t('materialScreen.toWorkshops')}</Link>
        </p>
      </Screen>
    );
  }
  return <MaterialView material={material} shareOffer={shareOffer} />;
}

function MaterialView({ material: m, shareOffer }: { material: Stored<'materials'>; shareOffer?: ShareOffer }) {
  const { t, i18n } = useTranslation('materials');
  const workshop = useLiveQuery(() => getWorkshop(m.workshopId), [m.workshopId]);
  const seen = useLiveQuery(() => readSeenMaterials(getDb(), m.workshopId), [m.workshopId]);
  const plan = usePackPlan([m]);
  const snapshot = useDownloadManager();
  const [freed, setFreed] = useState<number | null>(null);
  const item = plan?.items.get(m.id);
  const named = workshop ? localizedWorkshop(workshop, i18n.language) : null;

  const remove = async () => {
    setFreed(await removeDownloads(getDb(), [m.id]));
  };

  return (
    <Screen
      title={m.title}
      back={
        <p className="back-link">
          <Link href={`/workshops/${m.workshopId}`}>
            {named ? <bdi lang={named.titleLang}>{named.title}</bdi> : t('materialScreen.backToWorkshop')}
          </Link>
        </p>
      }
    >
      <ul className="material-list">
        <MaterialItem
          material={m}
          plan={item}
          progress={snapshot.items.get(m.id)}
          updated={isUpdatedSince(seen?.get(m.id), m)}
          standalone
          shareOffer={shareOffer}
        />
      </ul>
      <p className="muted">{t('materialScreen.version', { version: m.version })}</p>
      <p className="muted">{t('materialScreen.offlineHint')}</p>
      {item && item.state !== 'none' && (
        <p>
          <button type="button" className="button button-secondary" onClick={() => void remove()}>
            {t('materialScreen.remove')}
          </button>
        </p>
      )}
      {freed !== null && (
        <p role="status">{t('materialScreen.removed', { size: formatBytes(i18n.language, freed) })}</p>
      )}
    </Screen>
  );
}
