/** The WCO tool summaries phones carry, to open one for editing or write a new one. */
import { Link } from 'wouter';
import { Screen } from '../../client/ui/screen';
import { useApi } from '../core/use-api';
import { useCoordinatorT } from '../core/i18n';
import { ViewState } from '../ui/ViewState';
import type { ToolList } from '../core/types';

export default function ToolsScreen() {
  const { t } = useCoordinatorT();
  const view = useApi<ToolList>('/coordinator/tool-summaries');
  return (
    <Screen title={t('tools.title')} lead={<p className="lead">{t('tools.lead')}</p>}>
      <p className="c-actions">
        <Link href="/tools/new" className="button">
          {t('tools.new')}
        </Link>
      </p>
      <ViewState view={view}>
        {(data) =>
          data.toolSummaries.length === 0 ? (
            <p className="muted">{t('tools.empty')}</p>
          ) : (
            <ul className="card-list">
              {data.toolSummaries.map(({ toolSummary: tool }) => (
                <li key={tool.id} className="card">
                  <h2 className="card-title" dir="auto">
                    <Link href={`/tools/${tool.id}`} className="card-link">
                      {tool.title}
                    </Link>
                  </h2>
                  <p className="card-meta" dir="ltr">
                    /tools/{tool.slug}
                  </p>
                </li>
              ))}
            </ul>
          )
        }
      </ViewState>
    </Screen>
  );
}
