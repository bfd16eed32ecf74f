/**
 * How the coordinator screens talk to the server: JSON over fetch (CSV for
 * imports) with the session's bearer token, errors turned into one shape the screens can
 * explain, and a refused token marking the session as ended (cached views
 * stay readable). Reads go through useApi (use-api.ts), which caches them.
 */
import { currentToken, markExpired } from './store';

export const API = '/api/v1';

export class ApiProblem extends Error {
  constructor(
    /** 0 when no answer arrived (offline, connection cut). */
    readonly status: number,
    /** The server's error code ("not_found", "file_missing"…), or "offline". */
    readonly code: string,
    message: string,
    /** The whole error body, for answers that carry more than a message (an import's rejected rows). */
    readonly body: unknown = null,
  ) {
    super(message);
  }

  get offline(): boolean {
    return this.status === 0;
  }
}

/** Anything a request threw, as a problem the screens know how to word. */
export function asProblem(err: unknown): ApiProblem {
  return err instanceof ApiProblem ? err : new ApiProblem(0, 'offline', String(err));
}

interface ErrorBody {
  error?: unknown;
  message?: unknown;
}

async function problemOf(response: Response): Promise<ApiProblem> {
  let body: ErrorBody = {};
  try {
    body = (await response.json()) as ErrorBody;
  } catch {
    // A proxy's HTML error page: the status alone has to do.
  }
  return new ApiProblem(
    response.status,
    typeof body.error === 'string' ? body.error : `http_${response.status}`,
    typeof body.message === 'string' ? body.message : response.statusText,
    body,
  );
}

export function apiRequest<T>(method: string, path: string, body?: unknown): Promise<T> {
  return send<T>(method, path, body === undefined ? null : { text: JSON.stringify(body), type: 'application/json' });
}

/** Sends a text body as it is (a CSV file to import), with its own content type. */
export function apiSendText<T>(method: string, path: string, text: string, type: string): Promise<T> {
  return send<T>(method, path, { text, type });
}

async function send<T>(method: string, path: string, body: { text: string; type: string } | null): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = currentToken();
  if (token) headers.authorization = `Bearer ${token}`;
  if (body) headers['content-type'] = body.type;
  let response: Response;
  try {
    response = await fetch(`${API}${path}`, {
      method,
      headers,
      body: body?.text ?? null,
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch {
    throw new ApiProblem(0, 'offline', 'No connection to the server.');
  }
  if (response.status === 401 && token) markExpired();
  if (!response.ok) throw await problemOf(response);
  if (response.status === 204) return undefined as T;
  const data: unknown = await response.json();
  return data as T;
}

export async function signOut(): Promise<void> {
  // Best effort: offline, the token still expires on its own within hours.
  await apiRequest('POST', '/auth/logout').catch(() => undefined);
}
