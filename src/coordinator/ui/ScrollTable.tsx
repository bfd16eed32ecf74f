/**
 * A table that scrolls sideways inside its own box on a narrow phone
 * instead of widening the page. The box is focusable and named after the
 * table, so keyboard users can scroll it too.
 */
import type { ReactNode } from 'react';

export function ScrollTable({ labelledBy, children }: { labelledBy: string; children: ReactNode }) {
  return (
    <div className="c-table-wrap" role="region" aria-labelledby={labelledBy} tabIndex={0}>
      {children}
    </div>
  );
}
