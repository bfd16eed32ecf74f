/**
 * The main navigation: a bar at the bottom of a phone screen, where thumbs
 * reach, and at the top on wider screens. Icons are decoration; each item
 * has its text label.
 */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'wouter';

const ICONS: Record<string, ReactNode> = {
  workshops: <path d="M4 5h16v14H4zM4 9h16M9 3v4M15 3v4" />,
  tools: <path d="M5 4h10l4 4v12H5zM14 4v5h5M8 13h8M8 17h6" />,
  enrol: <path d="M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21a8 8 0 0 1 16 0" />,
  settings: <path d="M4 7h10M18 7h2M4 17h4M12 17h8M16 5v4M10 15v4" />,
};

const ITEMS = [
  { key: 'workshops', href: '/', match: (p: string) => p === '/' || p.startsWith('/workshops') },
  { key: 'tools', href: '/tools', match: (p: string) => p.startsWith('/tools') },
  { key: 'enrol', href: '/enrol', match: (p: string) => p.startsWith('/enrol') },
  { key: 'settings', href: '/settings', match: (p: string) => p.startsWith('/settings') },
] as const;

export function NavBar() {
  const { t } = useTranslation();
  const [location] = useLocation();
  return (
    <nav className="nav" aria-label={t('nav.label')}>
      <ul>
        {ITEMS.map((item) => {
          const current = item.match(location);
          return (
            <li key={item.key}>
              <Link href={item.href} className="nav-item" aria-current={current ? 'page' : undefined}>
                <svg
                  className="nav-icon"
                  viewBox="0 0 24 24"
                  aria-hidden="true"
                  focusable="false"
                  fill="none"
                  stroke="currentColor"
                  strokeWidth="2"
                  strokeLinecap="round"
                  strokeLinejoin="round"
                >
                  {ICONS[item.key]}
                </svg>
                <span>{t(`nav.${item.key}`)}</span>
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
