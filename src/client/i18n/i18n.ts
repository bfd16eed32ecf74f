/**
 * i18next set-up. Each language's strings are separate chunks loaded on
 * demand, so a phone downloads only the language it shows, and a screen only
 * its feature's strings. Only the chosen language's chunks are kept for
 * offline use (src/client/pwa/language-cache.ts caches them once the worker
 * runs, and again when the reader switches language); the precache leaves
 * the other languages out, so a release does not ship four of each. One namespace per feature folder
 * (locales/<lng>/<feature>.json, e.g. survey.json for features/survey/);
 * `common` holds the app shell's strings (app/, the workshop page, the
 * screen kit, sync and enrolment errors), `form` those of the form kit in
 * ui/ with the follow-up vocabulary that the follow-up, survey, evaluation
 * and conflicts screens share, and `coordinator` the coordinator workspace's.
 * `<html lang dir>` follows the active language, which flips the layout to
 * right-to-left for Persian.
 */
import i18next, { type BackendModule, type ReadCallback } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { interpolationOptions, localeFormatter } from './formatter';
import { DEFAULT_LANGUAGE, LANGUAGES, directionOf, isLanguageCode } from './languages';
import { initialLanguage, storedLanguage } from './language-preference';
import { manifestHref } from './manifest-href';

type Resource = Record<string, unknown>;

// manifest.json is read by the build only (src/client/pwa/manifest.ts) and messages.json by the server's
// e-mails and push notifications (src/server/messages/texts.ts), never by the page.
const loaders = import.meta.glob<Resource>(
  ['../../../locales/*/*.json', '!../../../locales/*/manifest.json', '!../../../locales/*/messages.json'],
  {
    import: 'default',
  },
);

const lazyJsonBackend: BackendModule = {
  type: 'backend',
  callbackApi: true,
  init() {},
  read(language: string, namespace: string, callback: ReadCallback) {
    const load = loaders[`../../../locales/${language}/${namespace}.json`];
    if (!load) {
      callback(new Error(`No ${namespace} strings for ${language}`), false);
      return;
    }
    load().then(
      (resource) => callback(null, resource),
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), false),
    );
  },
};

function applyDocumentLanguage(language: string): void {
  const code = isLanguageCode(language) ? language : DEFAULT_LANGUAGE;
  document.documentElement.lang = code;
  document.documentElement.dir = directionOf(code);
  // Installing from here gives the app its name, description and shortcuts in this language.
  const manifest = document.querySelector<HTMLLinkElement>('link[rel="manifest"]');
  if (manifest) manifest.setAttribute('href', manifestHref(code));
}

export function initI18n(): void {
  const lng = initialLanguage();
  applyDocumentLanguage(lng);
  i18next.on('languageChanged', applyDocumentLanguage);
  void i18next
    .use(lazyJsonBackend)
    .use(localeFormatter)
    .use(initReactI18next)
    .init({
      lng,
      supportedLngs: LANGUAGES.map((l) => l.code),
      load: 'languageOnly',
      // Every locale file carries every key (src/client/i18n/locales.test.ts
      // checks), so no English fallback is fetched beside the chosen language.
      fallbackLng: false,
      // The workshop list is the first screen: its strings come with the shell's.
      ns: ['common', 'workshops'],
      defaultNS: 'common',
      interpolation: interpolationOptions,
      returnNull: false,
      // A screen names its feature's namespace first and the shared ones after
      // (useTranslation(['survey', 'form'])); a key is looked up in that order.
      react: { useSuspense: true, nsMode: 'fallback' },
    });
  // localStorage may have been cleared while IndexedDB kept the choice.
  void storedLanguage().then(
    (saved) => {
      if (saved !== null && saved !== i18next.language) void i18next.changeLanguage(saved);
    },
    () => undefined,
  );
}
