/**
 * chart.js with only the parts a bar chart needs registered (the full
 * bundle is several times larger), loaded on demand by BarChart.tsx so the
 * report's tables show before the charts' code has arrived.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

/** Okabe–Ito colours: told apart with the common kinds of colour blindness, and on paper. */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00'];

export interface BarSpec {
  /** One entry per bar; an array is drawn as several lines. */
  labels: (string | string[])[];
  datasets: { label: string; data: (number | null)[]; color?: string }[];
  horizontal: boolean;
  stacked: boolean;
  /** Upper end of the value axis (100 for rates); automatic when absent. */
  max?: number;
  /** Appended to tick values, e.g. "%". */
  unit: string;
  rtl: boolean;
  locale: string;
}

export function drawBarChart(canvas: HTMLCanvasElement, spec: BarSpec): () => void {
  const reduceMotion = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  const valueAxis = spec.horizontal ? 'x' : 'y';
  const categoryAxis = spec.horizontal ? 'y' : 'x';
  const config: ChartConfiguration<'bar', (number | null)[], string | string[]> = {
    type: 'bar',
    data: {
      labels: spec.labels,
      datasets: spec.datasets.map((d, i) => ({
        label: d.label,
        data: d.data,
        backgroundColor: d.color ?? PALETTE[i % PALETTE.length],
        borderWidth: 0,
        maxBarThickness: 28,
      })),
    },
    options: {
      indexAxis: spec.horizontal ? 'y' : 'x',
      responsive: true,
      maintainAspectRatio: false,
      animation: reduceMotion ? false : { duration: 300 },
      locale: spec.locale,
      scales: {
        [valueAxis]: {
          stacked: spec.stacked,
          beginAtZero: true,
          max: spec.max,
          // Right-to-left readers expect bars to grow leftwards.
          reverse: spec.rtl && spec.horizontal,
          ticks: { callback: (value: string | number) => `${value}${spec.unit}`, precision: 0 },
        },
        [categoryAxis]: {
          stacked: spec.stacked,
          reverse: spec.rtl && !spec.horizontal,
          position: spec.horizontal ? (spec.rtl ? 'right' : 'left') : 'bottom',
          ticks: { autoSkip: false },
        },
      },
      plugins: {
        legend: { display: spec.datasets.length > 1, position: 'bottom', rtl: spec.rtl },
        tooltip: { rtl: spec.rtl },
      },
    },
  };
  const chart = new Chart(canvas, config);
  return () => chart.destroy();
}
