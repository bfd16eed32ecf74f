/**
 * Where the chosen language is remembered. localStorage answers synchronously
 * at start-up (no flash of the wrong language); the Dexie `settings` row is
 * the durable copy that survives if the browser clears localStorage but keeps
 * IndexedDB (persisted storage protects IndexedDB, not localStorage, in some
 * browsers).
 */
import { getDb } from '../../device/db/database';
import { isLanguageCode, pickLanguage, type LanguageCode } from './languages';

const STORAGE_KEY = 'vaka.language';
const SETTING_KEY = 'language';

function readLocal(): LanguageCode | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return isLanguageCode(value) ? value : null;
  } catch {
    // Private mode in old Safari throws on any localStorage access.
    return null;
  }
}

/** The language to start with: a saved choice, else the device's. */
export function initialLanguage(): LanguageCode {
  return readLocal() ?? pickLanguage(navigator.languages.length > 0 ? navigator.languages : [navigator.language]);
}

/** A choice saved in IndexedDB that localStorage has lost, if any. */
export async function storedLanguage(): Promise<LanguageCode | null> {
  if (readLocal() !== null) return null;
  const row = await getDb().settings.get(SETTING_KEY);
  return isLanguageCode(row?.value) ? row.value : null;
}

export async function saveLanguage(code: LanguageCode): Promise<void> {
  try {
    localStorage.setItem(STORAGE_KEY, code);
  } catch {
    // Not fatal: the Dexie copy below still remembers the choice.
  }
  await getDb().settings.put({ key: SETTING_KEY, value: code });
}
