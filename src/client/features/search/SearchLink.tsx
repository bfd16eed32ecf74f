/**
 * The header's way into search, loaded as its own small chunk after the
 * first screen so neither it nor its strings weigh on the first load.
 */
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import './search.css';

export default function SearchLink() {
  const { t } = useTranslation('search');
  return (
    <Link href="/search" className="search-link">
      <svg
        viewBox="0 0 24 24"
        aria-hidden="true"
        focusable="false"
        fill="none"
        stroke="currentColor"
        strokeWidth="2.2"
        strokeLinecap="round"
      >
        <circle cx="11" cy="11" r="6.5" />
        <path d="M16 16l4.5 4.5" />
      </svg>
      <span className="visually-hidden">{t('search.open')}</span>
    </Link>
  );
}
