/**
 * Small building blocks every screen shares: the screen frame (heading,
 * document title, focus on navigation), badges and the loading line. They
 * live with the app shell because the shell owns focus and titles.
 */
import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatLanguageName } from '../i18n/format';

let navigatedSincePageLoad = false;

/** Called by the shell when the route changes after the first render. */
export function markNavigated(): void {
  navigatedSincePageLoad = true;
}

/**
 * The frame of one screen. After an in-app navigation the heading takes
 * focus, so screen-reader users hear where they landed (a page load keeps
 * focus at the top for the skip link).
 */
export function Screen({
  title,
  children,
  lead,
  back,
  autoFocus = false,
  titleLang,
}: {
  title: string;
  /** The title's language when it is not the interface's (published English shown in Persian). */
  titleLang?: string;
  children: ReactNode;
  lead?: ReactNode;
  /** Take focus on mount even without a navigation (the screen replaced a form). */
  autoFocus?: boolean;
  /** A way back up (breadcrumb), shown above the heading. */
  back?: ReactNode;
}) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · ${t('app.name')}`;
  }, [title, t]);
  useEffect(() => {
    // A link to a section (#sync) lets that section take focus instead.
    if (autoFocus || (navigatedSincePageLoad && window.location.hash === '')) heading.current?.focus();
    // Only on mount: later renders must not pull focus away from the reader.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return (
    <>
      {back}
      {/* Titles are often content (an English workshop name in the Persian UI): let the text set its direction. */}
      <h1 ref={heading} tabIndex={-1} className="screen-title" dir="auto" lang={titleLang}>
        {title}
      </h1>
      {lead}
      {children}
    </>
  );
}

export function Badge({
  children,
  tone = 'neutral',
}: {
  children: ReactNode;
  tone?: 'neutral' | 'sample' | 'warn' | 'ok';
}) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

/** The "SAMPLE" label on invented demo content, with its meaning for screen readers. */
export function SampleBadge() {
  const { t } = useTranslation();
  return (
    <span className="badge badge-sample" title={t('sample.explain')}>
      {t('sample.badge')}
      <span className="visually-hidden"> ({t('sample.explain')})</span>
    </span>
  );
}

/**
 * "Not available in فارسی; shown in English." above published content that
 * has no translation in the reader's language; `some` for a list where only
 * some titles fell back.
 */
export function ContentFallback({ some = false }: { some?: boolean }) {
  const { t, i18n } = useTranslation();
  const language = formatLanguageName(i18n.language, i18n.language);
  return <p className="content-fallback">{t(some ? 'content.fallbackSome' : 'content.fallback', { language })}</p>;
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <p className="loading" role="status">
      {t('common.loading')}
    </p>
  );
}
