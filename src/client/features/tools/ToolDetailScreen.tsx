/**
 * One tool summary. The body is Markdown written by coordinators and is
 * rendered as React elements with raw HTML switched off, so no markup in a
 * summary can run script or pull in remote content. Images are shown as
 * their alt text: each would be a download on a paid link, and the content
 * security policy blocks other hosts anyway.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { Markdown, type MarkdownToJSX } from 'markdown-to-jsx/react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { ContentFallback, Loading, Screen } from '../../app/ui';
import { getToolBySlug, localizedTool } from './queries';

function ExternalLink({ href, children }: { href?: string; children?: ReactNode }) {
  const external = href !== undefined && /^https?:/i.test(href);
  return (
    <a href={href} {...(external ? { target: '_blank', rel: 'noopener noreferrer' } : {})}>
      {children}
    </a>
  );
}

function AltText({ alt }: { alt?: string }) {
  return alt ? <span className="image-alt">[{alt}]</span> : null;
}

const MARKDOWN_OPTIONS: MarkdownToJSX.Options = {
  disableParsingRawHTML: true,
  ignoreHTMLBlocks: true,
  // The screen's own h1 is the tool's title; the body starts below it.
  overrides: {
    a: { component: ExternalLink },
    img: { component: AltText },
    h1: { component: 'h2' },
  },
};

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
        <Markdown options={MARKDOWN_OPTIONS}>{body}</Markdown>
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
