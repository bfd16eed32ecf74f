/**
 * The shape every benchmark section reports in, and the plain-text table
 * printer. Sections only measure and describe; whether a figure meets its
 * target is shown beside it (PASS / MISS), never turned into an exit code:
 * these are benchmarks, and CI enforces only the deterministic size budget.
 */

export type Cell = string | number | null;

export interface Column {
  key: string;
  label: string;
  /** Numbers and sizes read best right-aligned. */
  align?: 'left' | 'right';
}

export interface Table {
  title: string;
  columns: Column[];
  rows: Record<string, Cell>[];
  notes?: string[];
}

/** One figure compared with the target from issue #8. */
export interface TargetCheck {
  metric: string;
  target: string;
  value: string;
  /** null when the figure could not be measured. */
  pass: boolean | null;
}

export interface SectionResult {
  name: string;
  status: 'ok' | 'skipped' | 'error';
  /** Why the section was skipped or failed. */
  reason?: string;
  tables: Table[];
  targets: TargetCheck[];
  /** Raw figures for --json. */
  data: unknown;
  /** How busy the machine was (other work shares these 2 cores), printed under the heading. */
  machine?: string;
}

export const verdict = (pass: boolean | null): string => (pass === null ? '—' : pass ? 'PASS' : 'MISS');

function pad(text: string, width: number, align: 'left' | 'right'): string {
  return align === 'right' ? text.padStart(width) : text.padEnd(width);
}

export function renderTable(table: Table): string {
  const cells = table.rows.map((row) =>
    table.columns.map((c) => (row[c.key] === null || row[c.key] === undefined ? '—' : String(row[c.key]))),
  );
  const widths = table.columns.map((c, i) => Math.max(c.label.length, ...cells.map((r) => r[i]!.length)));
  const line = (parts: string[]) => parts.join('  ').trimEnd();
  const out = [
    table.title,
    line(table.columns.map((c, i) => pad(c.label, widths[i]!, c.align ?? 'left'))),
    line(widths.map((w) => '-'.repeat(w))),
    ...cells.map((r) => line(r.map((text, i) => pad(text, widths[i]!, table.columns[i]!.align ?? 'left')))),
  ];
  for (const note of table.notes ?? []) out.push(`  * ${note}`);
  return out.join('\n');
}

export function renderSection(section: SectionResult): string {
  const head = `== ${section.name} ==${section.status === 'ok' ? '' : `  (${section.status}: ${section.reason ?? 'no reason given'})`}`;
  const parts = [section.machine ? `${head}\n${section.machine}` : head, ...section.tables.map(renderTable)];
  return parts.join('\n\n');
}

export function renderTargets(sections: SectionResult[]): string {
  const rows = sections.flatMap((s) =>
    s.targets.map((t) => ({
      section: s.name,
      metric: t.metric,
      target: t.target,
      value: t.value,
      verdict: verdict(t.pass),
    })),
  );
  return renderTable({
    title: 'Targets (issue #8)',
    columns: [
      { key: 'section', label: 'section' },
      { key: 'metric', label: 'metric' },
      { key: 'target', label: 'target' },
      { key: 'value', label: 'measured', align: 'right' },
      { key: 'verdict', label: 'result' },
    ],
    rows,
  });
}
