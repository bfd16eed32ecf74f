/**
 * What the report's two charts show, from the same tables as the grids:
 * reply rates per workshop (Table 1) and the actions taken per workshop
 * (Table 2), each bar labelled with the report's number and the words that
 * tell workshops apart. Pure; BarChart.tsx draws them.
 */
import { ACTION_KINDS, type ActionKind } from '../../shared/schemas/followup';
import type { Table1, Table2 } from '../../shared/domain/survey-report';
import type { BarSpec } from './charts';
import { actionLabel, type Translate } from './report-grids';

export type ChartSpec = Omit<BarSpec, 'rtl' | 'locale'>;

/**
 * "(3)", "Performance", "Measurement": the report's number and the words
 * that tell workshops apart, in short lines so a 360 px chart keeps room
 * for its bars.
 */
export function chartLabel(index: number, title: string): string[] {
  const topic = title
    .replace(/^WCO\s+/i, '')
    .split(/\bWorkshop on (?:the )?/i)
    .at(-1)!
    .trim();
  const lines: string[] = [];
  let line = `(${index + 1})`;
  for (const word of topic.split(/\s+/)) {
    if (`${line} ${word}`.length > 18 && line !== '') {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line);
  // Three lines at most: the table below has the full title.
  return lines.length > 3 ? [...lines.slice(0, 2), `${lines[2]}…`] : lines;
}

export function replyRateChart(table: Table1, labels: string[][], t: Translate): ChartSpec {
  return {
    labels,
    datasets: [
      {
        label: t('report.col.replyRate'),
        data: table.rows.map((r) => r.replyRate.percent),
        color: '#0b5563',
      },
    ],
    horizontal: true,
    stacked: false,
    max: 100,
    unit: '%',
  };
}

export function actionsChart(table: Table2, labels: string[][], t: Translate): ChartSpec {
  return {
    labels,
    datasets: ACTION_KINDS.map((k) => ({
      label: actionLabel(t, k),
      data: table.rows.map((r) => r.actions[k]),
    })),
    horizontal: true,
    stacked: true,
    unit: '',
  };
}

/** The action most often taken, for the chart's one-line summary; the first in questionnaire order on a tie. */
export function topAction(actions: Record<ActionKind, number>): ActionKind {
  return ACTION_KINDS.reduce<ActionKind>((best, k) => (actions[k] > actions[best] ? k : best), 'share-materials');
}
