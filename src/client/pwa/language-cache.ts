/**
 * Keeps the chosen language's strings offline. The precache lists no
 * language: four of them would make a first install and every release that
 * touches a string cost four times what a participant reads. Instead, once
 * the worker is registered, the page loads every participant namespace of
 * the language it shows and copies those files into the worker's locale
 * cache, which src/sw/core.ts serves cache-first for /assets/locales/.
 * Choosing another language does the same for it.
 */
import i18next from 'i18next';

const LOCALE_CACHE = 'vaka-locales';

// The coordinator workspace's strings are cached when the workspace opens, not on participants' phones.
const loaders = import.meta.glob([
  '../../../locales/*/*.json',
  '!../../../locales/*/manifest.json',
  '!../../../locales/*/coordinator.json',
]);

async function cacheLanguage(language: string): Promise<void> {
  const prefix = `../../../locales/${language}/`;
  await Promise.all(
    Object.entries(loaders)
      .filter(([file]) => file.startsWith(prefix))
      .map(([, load]) => load()),
  );
  if (!('caches' in window)) return;
  // Files the page loaded before the worker controlled it are in no worker cache yet: copy them all.
  const urls = new Set(
    performance
      .getEntriesByType('resource')
      .map((entry) => new URL(entry.name))
      .filter((url) => url.origin === location.origin && url.pathname.startsWith(`/assets/locales/${language}/`))
      .map((url) => url.pathname),
  );
  const cache = await caches.open(LOCALE_CACHE);
  await cache.addAll([...urls]);
}

export function keepLanguageOffline(): void {
  const cache = (language: string) => void cacheLanguage(language).catch(() => undefined);
  cache(i18next.language);
  i18next.on('languageChanged', cache);
}
