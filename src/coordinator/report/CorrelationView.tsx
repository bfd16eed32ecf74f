/**
 * Tables 4 and 7: who took each action and who reached the outcome, by
 * member code, with the report's marks (bold on screen, named for screen
 * readers) and the totals of how often an action presumably led to the
 * outcome.
 */
import type { CorrelationTable, MemberMark } from '../../shared/domain/survey-report';
import { useCoordinatorT } from '../core/i18n';
import { ScrollTable } from '../ui/ScrollTable';
import { correlationLabels, type Translate } from './report-grids';

function Marks({ marks, markLabel }: { marks: MemberMark[]; markLabel: string }) {
  if (marks.length === 0) return <>—</>;
  return (
    <>
      {marks.map((m, i) => (
        <span key={`${m.participantId}`}>
          {i > 0 && ', '}
          {m.marked ? (
            <strong className="c-mark">
              {m.memberCode ?? '?'}
              <span className="visually-hidden"> ({markLabel})</span>
            </strong>
          ) : (
            (m.memberCode ?? '?')
          )}
        </span>
      ))}
    </>
  );
}

export function CorrelationView({ which, table }: { which: 'table4' | 'table7'; table: CorrelationTable }) {
  const { t: tc } = useCoordinatorT();
  const t: Translate = tc;
  const labels = correlationLabels(which, t);
  const id = `${which}-table`;
  const share = (s: { count: number; percent: number | null }) =>
    s.percent === null ? `${s.count}` : `${s.count} (${s.percent}%)`;
  return (
    <>
      <p className="field-hint">{t(`report.${which}.marks`)}</p>
      <ScrollTable labelledBy={`${id}-caption`}>
        <table className="c-table" id={id}>
          <caption id={`${id}-caption`}>{t(`report.${which}.title`)}</caption>
          <thead>
            <tr>
              <th scope="col">{t('report.col.no')}</th>
              <th scope="col">{t('report.col.workshop')}</th>
              <th scope="col">{labels.first}</th>
              <th scope="col">{labels.second}</th>
              <th scope="col">{labels.outcome}</th>
            </tr>
          </thead>
          <tbody>
            {table.rows.map((r, i) => (
              <tr key={r.workshopId}>
                <td className="c-num">{i + 1}</td>
                <th scope="row" dir="auto">
                  {r.title}
                </th>
                <td>
                  <Marks marks={r.firstAction} markLabel={t(`report.${which}.markAction`)} />
                </td>
                <td>
                  <Marks marks={r.secondAction} markLabel={t(`report.${which}.markAction`)} />
                </td>
                <td>
                  <Marks marks={r.outcome} markLabel={t(`report.${which}.markOutcome`)} />
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <td />
              <th scope="row">{t('report.total')}</th>
              <td className="c-num">{table.total.firstAction}</td>
              <td className="c-num">{table.total.secondAction}</td>
              <td className="c-num">{table.total.outcome}</td>
            </tr>
            <tr>
              <td />
              <th scope="row">{labels.ledTo}</th>
              <td className="c-num">{share(table.total.firstActionLedToOutcome)}</td>
              <td className="c-num">{share(table.total.secondActionLedToOutcome)}</td>
              <td />
            </tr>
            <tr>
              <td />
              <th scope="row">{labels.attributed}</th>
              <td />
              <td />
              <td className="c-num">{share(table.total.outcomeAfterEitherAction)}</td>
            </tr>
          </tfoot>
        </table>
      </ScrollTable>
    </>
  );
}
