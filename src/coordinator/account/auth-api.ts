/**
 * The account calls of the workspace: signing in in two steps (password,
 * then the second factor when the account has one or the server requires
 * one), setting up TOTP, and changing the password. Until the second factor
 * is passed the token is held here, not saved as the session, so no screen
 * can use a half-signed-in token.
 */
import { API, ApiProblem, apiRequest } from '../core/api';
import { saveSession } from '../core/store';

export type SecondFactorStep = 'done' | 'verify' | 'setup';

export interface PasswordStep {
  token: string;
  expiresAt: string;
  name: string;
  email: string;
  secondFactor: SecondFactorStep;
}

export interface SessionInfo {
  email: string;
  secondFactor: SecondFactorStep;
  secondFactorEnabled: boolean;
  recoveryCodesLeft: number;
  mfaRequired: boolean;
  idleMinutes: number;
}

async function withToken<T>(token: string, method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${API}${path}`, {
      method,
      headers: {
        accept: 'application/json',
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? null : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch {
    throw new ApiProblem(0, 'offline', 'No connection to the server.');
  }
  const data = (await response.json().catch(() => ({}))) as { error?: string; message?: string };
  if (!response.ok)
    throw new ApiProblem(response.status, data.error ?? `http_${response.status}`, data.message ?? '', data);
  return data as T;
}

/** Checks the password; the session is saved at once only when no second factor is owed. */
export async function signInWithPassword(email: string, password: string): Promise<PasswordStep> {
  const answer = await apiRequest<Omit<PasswordStep, 'email'>>('POST', '/auth/login', { email, password });
  const step = { ...answer, email: email.toLowerCase() };
  if (step.secondFactor === 'done') await finishSignIn(step);
  return step;
}

export async function finishSignIn(step: PasswordStep): Promise<void> {
  await saveSession({ token: step.token, expiresAt: step.expiresAt, name: step.name, email: step.email });
}

export function verifyCode(token: string, code: string): Promise<{ used: 'totp' | 'recovery_code' }> {
  return withToken(token, 'POST', '/auth/second-factor/verify', { code });
}

export function beginSetup(token: string): Promise<{ secret: string; otpauthUri: string }> {
  return withToken(token, 'POST', '/auth/second-factor/setup');
}

export function confirmSetup(token: string, code: string): Promise<{ recoveryCodes: string[] }> {
  return withToken(token, 'POST', '/auth/second-factor/confirm', { code });
}

/** Asking also keeps the session from going idle. */
export function sessionInfo(): Promise<SessionInfo> {
  return apiRequest<SessionInfo>('GET', '/auth/session');
}

export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  await apiRequest<undefined>('POST', '/auth/password', { currentPassword, newPassword });
}
