/**
 * "What changed in your records": merges the server made when the same
 * record was edited on two phones (the record now shows the merged result;
 * here the participant sees, field by field, what was kept and what was
 * replaced, and can copy the replaced text back), and edits the server
 * refused for good (what was typed is kept here, with the reason). Opening
 * the screen marks them as seen, which clears the notices.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import type { CollectionName } from '../../../shared/schemas/collections';
import { Badge, Loading, Screen } from '../../ui/screen';
import { getDb, type AnyStored, type ConflictEntry, type RejectionEntry } from '../../../device/db/database';
import { formatInstant } from '../../i18n/dates';
import { fieldLabel, formatValue, recordTitle, type Translate } from './describe';
import '../../ui/form.css';
import './conflicts.css';

interface Loaded {
  conflicts: ConflictEntry[];
  rejections: RejectionEntry[];
  records: Map<string, AnyStored>;
}

async function readChanges(): Promise<Loaded> {
  const db = getDb();
  const [conflicts, rejections] = await Promise.all([db.conflicts.toArray(), db.rejections.toArray()]);
  const records = new Map<string, AnyStored>();
  for (const entry of [...conflicts, ...rejections]) {
    if (records.has(entry.recordId)) continue;
    const row = await db.table<AnyStored, string>(entry.collection).get(entry.recordId);
    if (row) records.set(entry.recordId, row);
  }
  const newest = <T extends { seq?: number }>(a: T, b: T) => (b.seq ?? 0) - (a.seq ?? 0);
  return { conflicts: conflicts.sort(newest), rejections: rejections.sort(newest), records };
}

/** Marks everything seen; returns what was unseen, so this visit can still label it "new". */
async function markAllSeen(): Promise<{ conflicts: Set<number>; rejections: Set<number> }> {
  const db = getDb();
  return db.transaction('rw', [db.conflicts, db.rejections], async () => {
    const conflicts = await db.conflicts.filter((c) => !c.seen).toArray();
    const rejections = await db.rejections.filter((r) => !r.seen).toArray();
    await db.conflicts.bulkUpdate(conflicts.map((c) => ({ key: c.seq!, changes: { seen: true } })));
    await db.rejections.bulkUpdate(rejections.map((r) => ({ key: r.seq!, changes: { seen: true } })));
    return {
      conflicts: new Set(conflicts.map((c) => c.seq!)),
      rejections: new Set(rejections.map((r) => r.seq!)),
    };
  });
}

/** Where the participant sees the record itself. */
function recordLink(collection: CollectionName, record: AnyStored | undefined): string | null {
  if (!record || record._deleted || typeof record.workshopId !== 'string') return null;
  switch (collection) {
    case 'followUpActions':
      return `/workshops/${record.workshopId}/follow-up/${record.id}`;
    case 'surveyResponses':
      return `/workshops/${record.workshopId}/survey`;
    case 'evaluations':
      return `/workshops/${record.workshopId}/evaluation`;
    default:
      return null;
  }
}

export default function ChangesScreen() {
  const { t, i18n } = useTranslation(['conflicts', 'form']);
  const data = useLiveQuery(readChanges, []);
  const [fresh, setFresh] = useState<{ conflicts: Set<number>; rejections: Set<number> } | null>(null);

  useEffect(() => {
    void markAllSeen().then(setFresh, () => undefined);
  }, []);

  const title = t('changes.title');
  const back = (
    <p className="back-link">
      <Link href="/follow-up">{t('home.title')}</Link>
    </p>
  );
  if (!data) {
    return (
      <Screen title={title} back={back}>
        <Loading />
      </Screen>
    );
  }
  const tt: Translate = (key, values) => t(key, values ?? {});
  return (
    <Screen title={title} back={back} lead={<p className="lead">{t('changes.lead')}</p>}>
      <section aria-labelledby="merged-heading">
        <h2 id="merged-heading">{t('changes.mergedTitle')}</h2>
        {data.conflicts.length === 0 ? (
          <p className="muted">{t('changes.noMerges')}</p>
        ) : (
          <ul className="card-list">
            {data.conflicts.map((c) => {
              const record = data.records.get(c.recordId);
              const link = recordLink(c.collection, record);
              return (
                <li key={c.seq} className="card change-card">
                  <h3 className="card-title" dir="auto">
                    {recordTitle(tt, c.collection, record ?? null)}{' '}
                    {fresh?.conflicts.has(c.seq!) && <Badge tone="warn">{t('changes.new')}</Badge>}
                  </h3>
                  <p className="card-meta">{t('changes.mergedOn', { date: formatInstant(i18n.language, c.at) })}</p>
                  <dl className="change-fields">
                    {c.conflicts.map((note) => (
                      <div key={note.field}>
                        <dt>{fieldLabel(tt, note.field)}</dt>
                        <dd>
                          <p dir="auto">
                            <strong>{t('changes.kept')}</strong> {formatValue(tt, note.field, note.kept)}
                          </p>
                          <p dir="auto" className="replaced">
                            <strong>{t('changes.replaced')}</strong> {formatValue(tt, note.field, note.replaced)}
                          </p>
                          <CopyButton
                            text={formatValue(tt, note.field, note.replaced)}
                            label={t('changes.copyReplaced', { field: fieldLabel(tt, note.field) })}
                          />
                        </dd>
                      </div>
                    ))}
                  </dl>
                  {link && (
                    <p>
                      <Link href={link}>{t('changes.openRecord')}</Link>
                    </p>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </section>
      <section aria-labelledby="refused-heading">
        <h2 id="refused-heading">{t('changes.refusedTitle')}</h2>
        {data.rejections.length === 0 ? (
          <p className="muted">{t('changes.noRefusals')}</p>
        ) : (
          <ul className="card-list">
            {data.rejections.map((r) => {
              const record = data.records.get(r.recordId);
              const link = recordLink(r.collection, record);
              const typed = Object.entries(r.fields ?? {}).filter(
                ([field, value]) => !['participantId', 'workshopId', 'id'].includes(field) && value !== '',
              );
              const typedText = typed.map(([f, v]) => `${fieldLabel(tt, f)}: ${formatValue(tt, f, v)}`).join('\n');
              return (
                <li key={r.seq} className="card change-card">
                  <h3 className="card-title" dir="auto">
                    {recordTitle(tt, r.collection, (r.fields as Record<string, unknown> | null) ?? record ?? null)}{' '}
                    {fresh?.rejections.has(r.seq!) && <Badge tone="warn">{t('changes.new')}</Badge>}
                  </h3>
                  <p className="card-meta">{t('changes.refusedOn', { date: formatInstant(i18n.language, r.at) })}</p>
                  <p>{t(`changes.reason.${r.code}`, { defaultValue: t('changes.reason.other') })}</p>
                  {typed.length > 0 && (
                    <>
                      <p>{t('changes.youTyped')}</p>
                      <dl className="change-fields">
                        {typed.map(([field, value]) => (
                          <div key={field}>
                            <dt>{fieldLabel(tt, field)}</dt>
                            <dd dir="auto">{formatValue(tt, field, value)}</dd>
                          </div>
                        ))}
                      </dl>
                      <CopyButton text={typedText} label={t('changes.copyTyped')} />
                    </>
                  )}
                  {link && (
                    <p>
                      <Link href={link}>{t('changes.openRecord')}</Link>
                    </p>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </Screen>
  );
}

function CopyButton({ text, label }: { text: string; label: string }) {
  const { t } = useTranslation(['conflicts', 'form']);
  const [done, setDone] = useState<'copied' | 'failed' | null>(null);
  if (typeof navigator === 'undefined' || !navigator.clipboard) return null;
  return (
    <span className="copy">
      <button
        type="button"
        className="link-button"
        onClick={() =>
          void navigator.clipboard.writeText(text).then(
            () => setDone('copied'),
            () => setDone('failed'),
          )
        }
      >
        {label}
      </button>
      <span role="status" className="muted">
        {done === 'copied' ? t('changes.copied') : done === 'failed' ? t('changes.copyFailed') : ''}
      </span>
    </span>
  );
}
