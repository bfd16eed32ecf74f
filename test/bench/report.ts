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

/**
 * One figure for the summary table: compared with its target from issue #8
 * where the issue sets one (target '' and pass null where it does not), and
 * shown beside the peer's figure (PouchDB) or a reference (the physical
 * floor) where there is one.
 */
export interface TargetCheck {
  metric: string;
  target: string;
  value: string;
  /** null when the figure could not be measured or has no target. */
  pass: boolean | null;
  /** PouchDB's figure for the same measure, or a reference such as the physical floor. */
  peer?: string;
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
  /** Wall time of the section, set by run.ts. */
  seconds?: number;
  /** 1-minute load average before and after the section, set by run.ts. */
  loadAverage?: [number, number];
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

/** The one summary table: every headline figure of every section, its target, the peer's figure and the verdict. */
export function summaryTable(sections: SectionResult[], title = 'Summary (targets from issue #8)'): Table {
  const rows = sections.flatMap((s) => [
    ...(s.status === 'ok'
      ? []
      : [
          {
            section: s.name,
            metric: `section ${s.status}: ${s.reason ?? 'no reason given'}`,
            target: '',
            value: '',
            peer: '',
            verdict: '',
          },
        ]),
    ...s.targets.map((t) => ({
      section: s.name,
      metric: t.metric,
      target: t.target || '—',
      value: t.value,
      peer: t.peer ?? '',
      verdict: t.target ? verdict(t.pass) : '',
    })),
  ]);
  return {
    title,
    columns: [
      { key: 'section', label: 'section' },
      { key: 'metric', label: 'measure' },
      { key: 'target', label: 'target' },
      { key: 'value', label: 'Vaka', align: 'right' },
      { key: 'peer', label: 'PouchDB / reference', align: 'right' },
      { key: 'verdict', label: 'result' },
    ],
    rows,
  };
}

/** The same table as GitHub Markdown, for docs/performance.md. */
export function renderMarkdown(table: Table): string {
  const esc = (text: string) => text.replace(/\|/g, '\\|');
  const cell = (row: Record<string, Cell>, key: string) => {
    const v = row[key];
    return v === null || v === undefined || v === '' ? '' : esc(String(v));
  };
  const lines = [
    `| ${table.columns.map((c) => c.label).join(' | ')} |`,
    `| ${table.columns.map((c) => (c.align === 'right' ? '---:' : '---')).join(' | ')} |`,
    ...table.rows.map((r) => `| ${table.columns.map((c) => cell(r, c.key)).join(' | ')} |`),
  ];
  return lines.join('\n');
}
