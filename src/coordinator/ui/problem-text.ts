/**
 * A server refusal in the coordinator's words, with the server's own
 * (English) detail after it when no better wording applies.
 */
import type { ApiProblem } from '../core/api';

export function problemText(t: (key: string, values?: Record<string, string>) => string, problem: ApiProblem): string {
  if (problem.offline) return t('errors.offline');
  if (problem.status === 401) return t('errors.session');
  if (problem.status === 403) return t('errors.forbidden');
  if (problem.status === 404) return t('errors.notFound');
  if (problem.status === 429) return t('errors.rateLimited');
  if (problem.status >= 500) return t('errors.server');
  return t('errors.refused', { message: problem.message });
}
