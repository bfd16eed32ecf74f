/**
 * Short summaries of WCO instruments and tools (HS, Revised Kyoto, SAFE …),
 * readable offline; each links to its official source.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { Badge, Loading, Screen } from '../../app/ui';
import { listTools, localizedTool } from './queries';

export default function ToolListScreen() {
  const { t, i18n } = useTranslation();
  const tools = useLiveQuery(listTools, []);
  return (
    <Screen title={t('tools.title')} lead={<p className="lead">{t('tools.lead')}</p>}>
      {tools === undefined ? (
        <Loading />
      ) : tools.length === 0 ? (
        <p className="empty">{t('tools.empty')}</p>
      ) : (
        <ul className="card-list">
          {tools.map((tool) => (
            <li key={tool.id} className="card">
              <h2 className="card-title" dir="auto">
                <Link href={`/tools/${tool.slug}`} className="card-link">
                  {localizedTool(tool, i18n.language).title}
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
          ))}
        </ul>
      )}
    </Screen>
  );
}
