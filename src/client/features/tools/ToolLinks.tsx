/**
 * Links to the summaries of some WCO tools, each title in the reader's
 * language where a coordinator translated it: the tools a workshop covers,
 * or those one session covers.
 */
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { localizedTool, type ToolRow } from './queries';

export function ToolItems({ tools }: { tools: ToolRow[] }) {
  const { i18n } = useTranslation();
  return tools.map((tool) => {
    const { title, titleLang } = localizedTool(tool, i18n.language);
    return (
      <li key={tool.id} dir="auto" lang={titleLang}>
        <Link href={`/tools/${tool.slug}`}>{title}</Link>
      </li>
    );
  });
}

/** The WCO tools a workshop covers, as links to their summaries. */
export function ToolLinks({ tools }: { tools: ToolRow[] }) {
  return (
    <ul className="tool-links">
      <ToolItems tools={tools} />
    </ul>
  );
}
