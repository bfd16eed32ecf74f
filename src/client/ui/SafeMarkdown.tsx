/**
 * Markdown written by coordinators (tool summaries), rendered as React
 * elements with raw HTML switched off, so no markup in a summary can run
 * script or pull in remote content. Images show as their alt text: each
 * would be a download on a paid link, and the content security policy
 * blocks other hosts anyway. The coordinator's preview uses this same
 * component, so it shows exactly what phones will show.
 */
import { Markdown, type MarkdownToJSX } from 'markdown-to-jsx/react';
import type { ReactNode } from 'react';

function Anchor({ href, children, newTab }: { href?: string; children?: ReactNode; newTab: boolean }) {
  const open = newTab || (href !== undefined && /^https?:/i.test(href));
  return (
    <a href={href} {...(open ? { target: '_blank', rel: 'noopener noreferrer' } : {})}>
      {children}
    </a>
  );
}

function AltText({ alt }: { alt?: string }) {
  return alt ? <span className="image-alt">[{alt}]</span> : null;
}

function optionsFor(newTab: boolean): MarkdownToJSX.Options {
  return {
    disableParsingRawHTML: true,
    ignoreHTMLBlocks: true,
    overrides: {
      a: { component: (props: { href?: string; children?: ReactNode }) => <Anchor {...props} newTab={newTab} /> },
      img: { component: AltText },
      // The screen's own h1 is the summary's title; the body starts below it.
      h1: { component: 'h2' },
    },
  };
}

const PAGE_OPTIONS = optionsFor(false);
const PREVIEW_OPTIONS = optionsFor(true);

/** `preview`: every link opens in a new tab, so following one never leaves an unsaved editor. */
export function SafeMarkdown({ children, preview = false }: { children: string; preview?: boolean }) {
  return <Markdown options={preview ? PREVIEW_OPTIONS : PAGE_OPTIONS}>{children}</Markdown>;
}
