/**
 * A workshop's materials as a plain list (title, size, language, type),
 * shown until the materials panel's own strings have loaded: the panel
 * with downloads replaces it a moment later.
 */
import { useTranslation } from 'react-i18next';
import { Badge, Loading, SampleBadge } from '../../ui/screen';
import { formatBytes, formatLanguageName } from '../../i18n/format';
import type { MaterialRow } from '../../content/workshops';

export function MaterialList({ materials }: { materials: MaterialRow[] | undefined }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  return (
    <section aria-labelledby="materials-heading">
      <h2 id="materials-heading">{t('materials.title')}</h2>
      {materials === undefined ? (
        <Loading />
      ) : materials.length === 0 ? (
        <p className="muted">{t('materials.empty')}</p>
      ) : (
        <ul className="material-list">
          {materials.map((m) => (
            <li key={m.id} className="material">
              <p className="material-title" dir="auto">
                {m.title}
                {m.sample && <SampleBadge />}
                {m.audience === 'participants' && <Badge>{t('materials.participantsOnly')}</Badge>}
              </p>
              <p className="muted">
                {t('materials.meta', {
                  size: formatBytes(lng, m.byteSize),
                  language: formatLanguageName(lng, m.language),
                  type: mediaTypeLabel(m.mediaType),
                })}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** "PDF", "PPTX"…: what a participant recognises, not a MIME type. */
function mediaTypeLabel(mediaType: string): string {
  const known: Record<string, string> = {
    'application/pdf': 'PDF',
    'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'PPTX',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'DOCX',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'XLSX',
    'application/zip': 'ZIP',
  };
  return known[mediaType] ?? (mediaType.split('/')[1] ?? mediaType).toUpperCase();
}
