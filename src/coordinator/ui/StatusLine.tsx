/**
 * The status line under a form or an action: saves and failures are
 * announced by a polite live region, without moving focus.
 */
export type Status = { tone: 'ok' | 'error' | 'info'; text: string } | null;

export function StatusLine({ status }: { status: Status }) {
  return (
    <p className={`c-status${status ? ` c-status-${status.tone}` : ''}`} role="status" aria-live="polite">
      {status?.text ?? ''}
    </p>
  );
}
