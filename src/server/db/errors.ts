/**
 * Tells database errors worth a retry (busy, lost connection, serialization
 * failure) from bugs, so the API can answer 503 + Retry-After for the former
 * and the device keeps its outbox untouched.
 */
const TRANSIENT_SQLITE = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_IOERR', 'SQLITE_FULL', 'SQLITE_CANTOPEN']);
const TRANSIENT_PG_CLASSES = ['08', '40', '53', '57P'];
const TRANSIENT_NET = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']);

export function isTransientDbError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string') {
    const message = (err as { message?: unknown }).message;
    return (
      typeof message === 'string' && /Connection terminated|timeout exceeded when trying to connect/i.test(message)
    );
  }
  if (TRANSIENT_SQLITE.has(code) || code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_IOERR')) return true;
  if (TRANSIENT_NET.has(code)) return true;
  return /^[0-9A-Z]{5}$/.test(code) && TRANSIENT_PG_CLASSES.some((c) => code.startsWith(c));
}
