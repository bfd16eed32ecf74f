/**
 * The quoted examples of the report, in its groups (sections 2.2 to 2.6),
 * each quote with the member and workshop it came from. A long group starts
 * folded; printing unfolds it (ReportScreen).
 */
import type { Example } from '../../shared/domain/survey-examples';
import { useCoordinatorT } from '../core/i18n';
import type { SurveyReportView } from '../core/types';
import { EXAMPLE_GROUPS } from './report-grids';

export function ExampleList({ examples }: { examples: Example[] }) {
  const { t } = useCoordinatorT();
  if (examples.length === 0) return <p className="muted">{t('report.examples.none')}</p>;
  return (
    <ul className="c-examples">
      {examples.map((e, i) => (
        <li key={i}>
          <span dir="auto">{e.text}</span>{' '}
          <span className="muted">
            ({e.member} – <span dir="auto">{e.workshopTitle}</span>)
          </span>
        </li>
      ))}
    </ul>
  );
}

export function ExamplesView({ data }: { data: SurveyReportView }) {
  const { t } = useCoordinatorT();
  return (
    <>
      {EXAMPLE_GROUPS.map((group) => (
        <section key={group} aria-labelledby={`ex-${group}`}>
          <h3 id={`ex-${group}`}>
            {t(`report.examples.${group}.title`)} <span className="c-count">{data.examples[group].length}</span>
          </h3>
          <details className="c-details" open={data.examples[group].length <= 12}>
            <summary>{t('report.examples.show', { count: data.examples[group].length })}</summary>
            <ExampleList examples={data.examples[group]} />
          </details>
        </section>
      ))}
    </>
  );
}
