/**
 * Short summaries of WCO instruments and tools (HS, Revised Kyoto, SAFE …),
 * readable offline; each links to its official source.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { Badge, ContentFallback, Loading, Screen } from '../../ui/screen';
import { listTools, localizedTool, type ToolRow } from './queries';

export default function ToolListScreen() {
  const { t, i18n } = useTranslation(['tools', 'common']);
  const tools = useLiveQuery(listTools, []);
  return (
    <Screen title={t('tools.title')} lead={<p className="lead">{t('tools.lead')}</p>}>
      {tools === undefined ? (
        <Loading />
      ) : tools.length === 0 ? (
        <p className="empty">{t('tools.empty')}</p>
      ) : (
        <>
          {tools.some((tool) => localizedTool(tool, i18n.language).titleLang !== undefined) && <ContentFallback some />}
          <ul className="card-list">
            {tools.map((tool) => (
              <ToolCard key={tool.id} tool={tool} />
            ))}
          </ul>
        </>
      )}
    </Screen>
  );
}

function ToolCard({ tool }: { tool: ToolRow }) {
  const { i18n } = useTranslation(['tools', 'common']);
  const { title, titleLang } = localizedTool(tool, i18n.language);
  return (
    <li className="card">
      <h2 className="card-title" dir="auto" lang={titleLang}>
        <Link href={`/tools/${tool.slug}`} className="card-link">
          {title}
        </Link>
      </h2>
      {tool.tags.length > 0 && (
        <p className="card-badges">
          {tool.tags.map((tag) => (
            <Badge key={tag}>{tag}</Badge>
          ))}
        </p>
      )}
    </li>
  );
}
