/**
 * A report grid (report-grids.ts) as an HTML table: the workshop (second
 * column) heads each row, numbers align to the end, total rows sit in the
 * table foot. The same grid is what the CSV and XLSX exports write.
 */
import { ScrollTable } from '../ui/ScrollTable';
import type { Cell, Grid } from './report-grids';

function CellView({ cell }: { cell: Cell }) {
  if (cell === null) return null;
  return <>{cell}</>;
}

export function GridTable({
  grid,
  caption,
  id,
  rowHeader = 1,
}: {
  grid: Grid;
  caption: string;
  id: string;
  /** The column that names each row: the workshop (1) in the report's tables. */
  rowHeader?: number;
}) {
  const captionId = `${id}-caption`;
  const numeric = (cell: Cell) => typeof cell === 'number';
  return (
    <ScrollTable labelledBy={captionId}>
      <table className="c-table" id={id}>
        <caption id={captionId}>{caption}</caption>
        <thead>
          <tr>
            {grid.head.map((h, i) => (
              <th key={i} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {grid.body.map((row, r) => (
            <tr key={r}>
              {row.map((cell, c) =>
                c === rowHeader ? (
                  <th key={c} scope="row" dir="auto">
                    <CellView cell={cell} />
                  </th>
                ) : (
                  <td key={c} className={numeric(cell) ? 'c-num' : undefined}>
                    <CellView cell={cell} />
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
        {grid.foot.length > 0 && (
          <tfoot>
            {grid.foot.map((row, r) => (
              <tr key={r}>
                {row.map((cell, c) =>
                  c === rowHeader ? (
                    <th key={c} scope="row">
                      <CellView cell={cell} />
                    </th>
                  ) : (
                    <td key={c} className={numeric(cell) ? 'c-num' : undefined}>
                      <CellView cell={cell} />
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tfoot>
        )}
      </table>
    </ScrollTable>
  );
}
