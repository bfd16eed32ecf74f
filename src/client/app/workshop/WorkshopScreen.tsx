/**
 * One workshop's page, where five features meet: its facts (dates, mode,
 * venue, organisers, the WCO tools it covers), the participant's follow-up
 * panel, the agenda with its changes and calendar entries (Agenda.tsx), and
 * the materials with their offline downloads. Everything comes from
 * IndexedDB, so a deep link to this screen works on a phone that is
 * offline. It lives with the app's routes because it composes features that
 * do not import each other.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { ContentFallback, Loading, SampleBadge, Screen } from '../../ui/screen';
import { formatDateRange, formatList, formatZoneName, zonedInstant } from '../../i18n/format';
import {
  getWorkshop,
  listMaterials,
  listSessions,
  localizedWorkshop,
  type MaterialRow,
  type SessionRow,
  type WorkshopRow,
} from '../../content/workshops';
import { toolsNamed, workshopToolSlugs } from '../../content/session-links';
import { FollowUpPanel } from '../../features/followup/FollowUpPanel';
import { ShareLogOffer } from '../../features/followup/ShareMaterials';
import { MaterialList } from '../../features/materials/MaterialList';
import { MaterialsPanel } from '../../features/materials/MaterialsPanel';
import { listTools, type ToolRow } from '../../features/tools/queries';
import { ToolLinks } from '../../features/tools/ToolLinks';
import { Agenda } from './Agenda';
import './agenda.css';

export default function WorkshopScreen({ id }: { id: string }) {
  const { t } = useTranslation();
  const workshop = useLiveQuery(() => getWorkshop(id), [id]);
  const sessions = useLiveQuery(() => listSessions(id), [id]);
  const materials = useLiveQuery(() => listMaterials(id), [id]);
  const tools = useLiveQuery(listTools, []);

  if (workshop === undefined) {
    return (
      <Screen title={t('workshop.title')}>
        <Loading />
      </Screen>
    );
  }
  if (workshop === null) {
    return (
      <Screen title={t('workshop.notFoundTitle')}>
        <p>{t('workshop.notFound')}</p>
        <p>
          <Link href="/">{t('workshop.backToList')}</Link>
        </p>
      </Screen>
    );
  }
  return <WorkshopView workshop={workshop} sessions={sessions} materials={materials} tools={tools} />;
}

function WorkshopView({
  workshop: w,
  sessions,
  materials,
  tools,
}: {
  workshop: WorkshopRow;
  sessions: SessionRow[] | undefined;
  materials: MaterialRow[] | undefined;
  tools: ToolRow[] | undefined;
}) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const { title, summary, titleLang, summaryLang, fallback } = localizedWorkshop(w, lng);
  const zoneName = formatZoneName(lng, w.timeZone, zonedInstant(w.startDate, '12:00', w.timeZone));
  const organisers = formatList(lng, w.organisers);
  const hasSample = (sessions ?? []).some((s) => s.sample) || (materials ?? []).some((m) => m.sample);
  const toolsBySlug = useMemo(() => new Map((tools ?? []).map((tool) => [tool.slug, tool])), [tools]);
  const covered = toolsNamed(workshopToolSlugs(w, sessions ?? []), toolsBySlug);

  return (
    <Screen
      title={title}
      titleLang={titleLang}
      back={
        <p className="back-link">
          <Link href="/">{t('workshop.backToList')}</Link>
        </p>
      }
    >
      {fallback && <ContentFallback />}
      {hasSample && (
        <p className="notice notice-sample">
          <SampleBadge /> {t('sample.notice')}
        </p>
      )}
      {summary && (
        <p className="lead" dir="auto" lang={summaryLang}>
          {summary}
        </p>
      )}
      <dl className="facts">
        <div>
          <dt>{t('workshop.dates')}</dt>
          <dd>
            {formatDateRange(lng, w.startDate, w.endDate, w.timeZone)}
            <br />
            <span className="muted">{t('workshop.timeZone', { zone: zoneName })}</span>
          </dd>
        </div>
        <div>
          <dt>{t('workshop.modeLabel')}</dt>
          <dd>{t(`workshop.mode.${w.mode}`)}</dd>
        </div>
        <div>
          <dt>{t('workshop.venue')}</dt>
          <dd>
            {w.venue
              ? [w.venue.name, w.venue.city, w.venue.country].filter((part) => part && part.length > 0).join(', ')
              : t('workshop.online')}
          </dd>
        </div>
        <div>
          <dt>{t('workshop.organisers')}</dt>
          <dd>{organisers}</dd>
        </div>
        {w.sponsor && (
          <div>
            <dt>{t('workshop.sponsor')}</dt>
            <dd>{w.sponsor}</dd>
          </div>
        )}
        <div>
          <dt>{t('workshop.topic')}</dt>
          <dd>
            {w.topic}
            {t('common.separator')}
            {t(`workshop.kind.${w.kind}`)}
          </dd>
        </div>
        {covered.length > 0 && (
          <div>
            <dt>{t('workshop.tools')}</dt>
            <dd>
              <ToolLinks tools={covered} />
            </dd>
          </div>
        )}
      </dl>

      <FollowUpPanel workshop={w} />
      <Agenda workshop={w} sessions={sessions} materials={materials} toolsBySlug={toolsBySlug} />
      <MaterialsPanel
        workshopId={w.id}
        materials={materials}
        fallback={<MaterialList materials={materials} />}
        shareOffer={ShareLogOffer}
      />
    </Screen>
  );
}
