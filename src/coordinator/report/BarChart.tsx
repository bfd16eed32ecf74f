/**
 * A bar chart for people who would rather look than read, always next to
 * the table holding the same figures. The canvas is one image to assistive
 * technology, named with a one-line summary; the table is the accessible
 * version, linked from the caption. chart.js arrives in its own chunk.
 */
import { useEffect, useRef, useState } from 'react';
import type { BarSpec } from './charts';
import { useCoordinatorT } from '../core/i18n';

export function BarChart({
  spec,
  summary,
  tableId,
  rows,
}: {
  spec: Omit<BarSpec, 'rtl' | 'locale'>;
  /** What the chart shows, in one sentence (the canvas's accessible name). */
  summary: string;
  /** The table with the same figures. */
  tableId: string;
  /** Bars on the category axis, to size the chart so labels never overlap. */
  rows: number;
}) {
  const { t, i18n } = useCoordinatorT();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [failed, setFailed] = useState(false);
  const rtl = i18n.dir(i18n.language) === 'rtl';
  // Room for three-line labels per bar, and for the legend when there are several series.
  const height = spec.horizontal ? Math.max(160, rows * 44 + (spec.datasets.length > 1 ? 110 : 50)) : 280;

  useEffect(() => {
    let destroy: (() => void) | null = null;
    let live = true;
    import('./charts').then(
      ({ drawBarChart }) => {
        if (live && canvas.current) destroy = drawBarChart(canvas.current, { ...spec, rtl, locale: i18n.language });
      },
      () => {
        if (live) setFailed(true);
      },
    );
    return () => {
      live = false;
      destroy?.();
    };
  }, [spec, rtl, i18n.language]);

  return (
    <figure className="c-chart">
      {failed ? (
        <p className="muted">{t('report.chartUnavailable')}</p>
      ) : (
        <div className="c-chart-box" style={{ blockSize: `${height}px` }}>
          <canvas ref={canvas} role="img" aria-label={summary} />
        </div>
      )}
      <figcaption className="muted">
        {summary} <a href={`#${tableId}`}>{t('report.seeTable')}</a>
      </figcaption>
    </figure>
  );
}
