/**
 * "Share a training material": the workshop's materials, each with a Share
 * button (the phone's share sheet through the Web Share API, or a copied
 * link where there is none). After a share the participant is offered to
 * log it as "shared training materials", prefilled, so the most common
 * follow-up action is recorded at the moment it happens.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { Loading } from '../../ui/screen';
import { getDb } from '../../../device/db/database';
import { listMaterials, type MaterialRow } from '../../content/workshops';
import { isolate } from '../../i18n/format';
import { browserShareEnv, downloadedFile, shareMaterial, type ShareOutcome } from './share';
import './followup.css';

interface Offer {
  material: MaterialRow;
  outcome: Extract<ShareOutcome, 'shared' | 'copied'>;
}

export function ShareMaterials({ workshopId }: { workshopId: string }) {
  const { t } = useTranslation(['followup', 'form']);
  const materials = useLiveQuery(() => listMaterials(workshopId), [workshopId]);
  const [offer, setOffer] = useState<Offer | null>(null);
  const [problem, setProblem] = useState<ShareOutcome | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const offerRef = useRef<HTMLDivElement>(null);

  async function share(material: MaterialRow) {
    setBusy(material.id);
    setProblem(null);
    setOffer(null);
    const file = await downloadedFile(getDb(), material);
    const outcome = await shareMaterial(material, file, browserShareEnv());
    setBusy(null);
    if (outcome === 'shared' || outcome === 'copied') {
      setOffer({ material, outcome });
      // The offer appears below the list; bring it into view for the thumb.
      requestAnimationFrame(() => offerRef.current?.scrollIntoView({ block: 'nearest' }));
    } else if (outcome !== 'cancelled') setProblem(outcome);
  }

  return (
    <section aria-labelledby="share-heading">
      <h2 id="share-heading">{t('share.title')}</h2>
      <p className="field-hint">{t('share.lead')}</p>
      {materials === undefined ? (
        <Loading />
      ) : materials.length === 0 ? (
        <p className="muted">{t('share.none')}</p>
      ) : (
        <ul className="share-list">
          {materials.map((m) => (
            <li key={m.id} className="share-item">
              <span dir="auto" className="share-title">
                {m.title}
              </span>
              <button
                type="button"
                className="button button-secondary"
                disabled={busy !== null}
                onClick={() => void share(m)}
              >
                {t('share.button')}
                <span className="visually-hidden">: {m.title}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <div role="status" ref={offerRef}>
        {offer && (
          <ShareLogOffer
            workshopId={workshopId}
            materialId={offer.material.id}
            title={offer.material.title}
            copied={offer.outcome === 'copied'}
            onDismiss={() => setOffer(null)}
          />
        )}
        {problem && <p className="field-error">{t(`share.problem.${problem}`)}</p>}
      </div>
    </section>
  );
}

/**
 * The offer shown after a material went out: log it as "shared training
 * materials", prefilled. Exported so any place that shares a material can make
 * the same offer: the app hands it to the materials feature
 * (app/workshop/WorkshopScreen.tsx, app/routes/MaterialRoute.tsx).
 */
export function ShareLogOffer({
  workshopId,
  materialId,
  title,
  copied = false,
  onDismiss,
}: {
  workshopId: string;
  materialId: string;
  title: string;
  copied?: boolean;
  onDismiss(): void;
}) {
  const { t } = useTranslation(['followup', 'form']);
  return (
    <div className="notice notice-ok share-offer">
      <p>{copied ? t('share.copied', { title: isolate(title) }) : t('share.shared', { title: isolate(title) })}</p>
      <p>{t('share.offer')}</p>
      <p className="card-actions">
        <Link
          href={`/workshops/${workshopId}/follow-up/new?kind=share-materials&material=${materialId}`}
          className="button"
        >
          {t('share.logIt')}
        </Link>
        <button type="button" className="button button-secondary" onClick={onDismiss}>
          {t('share.noThanks')}
        </button>
      </p>
    </div>
  );
}
