/**
 * Writing a new tool summary, or opening a published one for editing from
 * the server's list (ToolForm.tsx holds the form and its live preview).
 */
import { Link } from 'wouter';
import { Screen } from '../../client/ui/screen';
import { useCoordinatorT } from '../core/i18n';
import type { ToolList } from '../core/types';
import { useApi } from '../core/use-api';
import { ViewState } from '../ui/ViewState';
import { ToolForm } from './ToolForm';

export default function ToolEditorScreen({ id }: { id: string | null }) {
  const { t } = useCoordinatorT();
  const view = useApi<ToolList>('/coordinator/tool-summaries');
  const back = (
    <p className="back-link">
      <Link href="/tools">{t('tools.back')}</Link>
    </p>
  );
  if (id === null)
    return (
      <Screen title={t('tools.newTitle')} back={back}>
        <ToolForm tool={null} />
      </Screen>
    );
  const tool = view.data?.toolSummaries.find((x) => x.toolSummary.id === id)?.toolSummary;
  return (
    <Screen title={tool?.title ?? t('tools.editTitle')} back={back}>
      <ViewState view={view}>
        {() => (tool ? <ToolForm key={tool.id} tool={tool} /> : <p>{t('errors.notFound')}</p>)}
      </ViewState>
    </Screen>
  );
}
