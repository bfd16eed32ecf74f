/**
 * The search screen: one box over agendas, materials, WCO tool summaries,
 * workshops and the participant's own follow-up notes, all on the phone, so
 * it answers with no connection. Results are grouped by kind and link to
 * their screens; the query lives in the URL (?q=) so Back returns to it.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useSearch } from 'wouter';
import { Screen } from '../../ui/screen';
import { getDb } from '../../../device/db/database';
import { formatNumber, isolate } from '../../i18n/format';
import { formatIsoDate } from '../../i18n/dates';
import { excerpt, search, type SearchHit, type SearchKind } from './search-index';
import './search.css';

const ORDER: SearchKind[] = ['session', 'material', 'tool', 'workshop', 'note'];

type Results = { query: string; hits: SearchHit[] } | { query: string; failed: true };

export default function SearchScreen() {
  const { t, i18n } = useTranslation('search');
  const params = new URLSearchParams(useSearch());
  const [, navigate] = useLocation();
  const initial = params.get('q') ?? '';
  const [query, setQuery] = useState(initial);
  const [results, setResults] = useState<Results | null>(null);
  const inputId = useId();
  const hintId = useId();
  const trimmed = query.trim();

  // Typing on a slow phone: wait for a pause before searching.
  useEffect(() => {
    if (trimmed.length < 2) return;
    let live = true;
    const timer = setTimeout(() => {
      search(getDb(), i18n.language, trimmed).then(
        (hits) => live && setResults({ query: trimmed, hits }),
        () => live && setResults({ query: trimmed, failed: true }),
      );
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [trimmed, i18n.language]);

  const change = (value: string) => {
    setQuery(value);
    navigate(value ? `/search?q=${encodeURIComponent(value)}` : '/search', { replace: true });
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    (document.activeElement as HTMLElement | null)?.blur();
  };

  const current = results && results.query === trimmed ? results : null;
  const status =
    trimmed.length < 2
      ? ''
      : current === null
        ? t('search.searching')
        : 'failed' in current
          ? t('search.failed')
          : current.hits.length === 0
            ? t('search.none', { query: isolate(trimmed) })
            : t('search.results', { count: current.hits.length, query: isolate(trimmed) });

  return (
    <Screen title={t('search.title')}>
      <form role="search" className="search-form" onSubmit={submit}>
        <label htmlFor={inputId}>{t('search.label')}</label>
        <div className="search-row">
          <input
            id={inputId}
            className="input"
            type="search"
            enterKeyHint="search"
            autoComplete="off"
            aria-describedby={hintId}
            value={query}
            onChange={(e) => change(e.target.value)}
          />
          <button type="submit" className="button">
            {t('search.submit')}
          </button>
        </div>
        <p id={hintId} className="field-hint">
          {t('search.hint')}
        </p>
      </form>
      <p role="status" aria-live="polite" className="search-status">
        {status}
      </p>
      {current && !('failed' in current) && <ResultGroups hits={current.hits} />}
    </Screen>
  );
}

function ResultGroups({ hits }: { hits: SearchHit[] }) {
  const { t, i18n } = useTranslation('search');
  return (
    <>
      {ORDER.map((kind) => {
        const group = hits.filter((h) => h.kind === kind);
        if (group.length === 0) return null;
        return (
          <section key={kind} aria-labelledby={`search-${kind}`}>
            <h2 id={`search-${kind}`}>
              {t(`search.kind.${kind}`)} <span className="muted">({formatNumber(i18n.language, group.length)})</span>
            </h2>
            <ul className="card-list search-results">
              {group.map((hit) => (
                <li key={hit.id} className="card">
                  <h3 className="card-title" dir="auto">
                    <Link href={hit.href} className="card-link">
                      {hit.title}
                    </Link>
                  </h3>
                  {hit.context && (
                    <p className="card-meta" dir="auto">
                      {/* A workshop's context is its first day, kept as an ISO date in the index. */}
                      {hit.kind === 'workshop' ? formatIsoDate(i18n.language, hit.context) : hit.context}
                    </p>
                  )}
                  {hit.text && hit.kind !== 'note' && (
                    <p className="search-excerpt" dir="auto">
                      {excerpt(hit.text, hit.terms).map((s, i) =>
                        s.match ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>,
                      )}
                    </p>
                  )}
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </>
  );
}
