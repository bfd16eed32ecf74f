/**
 * One tool summary, in the participant's language when a translation
 * exists; its Markdown body is rendered safely by SafeMarkdown.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { ContentFallback, Loading, Screen } from '../../app/ui';
import { SafeMarkdown } from '../../app/SafeMarkdown';
import { getToolBySlug, localizedTool } from './queries';

export default function ToolDetailScreen({ slug }: { slug: string }) {
  const { t, i18n } = useTranslation();
  const tool = useLiveQuery(() => getToolBySlug(slug), [slug]);

  if (tool === undefined) {
    return (
      <Screen title={t('tools.title')}>
        <Loading />
      </Screen>
    );
  }
  if (tool === null) {
    return (
      <Screen title={t('tools.notFoundTitle')}>
        <p>{t('tools.notFound')}</p>
        <p>
          <Link href="/tools">{t('tools.backToList')}</Link>
        </p>
      </Screen>
    );
  }
  const { title, body, titleLang, bodyLang, fallback } = localizedTool(tool, i18n.language);
  return (
    <Screen
      title={title}
      titleLang={titleLang}
      back={
        <p className="back-link">
          <Link href="/tools">{t('tools.backToList')}</Link>
        </p>
      }
    >
      {fallback && <ContentFallback />}
      <div className="prose" dir="auto" lang={bodyLang}>
        <SafeMarkdown>{body}</SafeMarkdown>
      </div>
      <p className="source-link">
        <a href={tool.officialUrl} target="_blank" rel="noopener noreferrer" className="button button-secondary">
          {t('tools.officialSource')}
        </a>
        <span className="muted"> {t('tools.needsConnection')}</span>
      </p>
    </Screen>
  );
}
