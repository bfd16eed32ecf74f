/**
 * Reads of the participant's own follow-up records that the follow-up,
 * survey and evaluation screens share (who attended what, the log, the
 * survey responses, the evaluation, each record's receipt), for
 * useLiveQuery: a sync, an upload or another tab's edit re-renders the
 * screen without a refresh. Deleted records (tombstones kept so the
 * deletion syncs) are left out here, except where the caller decides.
 */
import { readDeviceIdentity, type DeviceIdentity, type Stored, type VakaDatabase } from '../../device/db/database';
import { receiptOf, type Receipt } from './receipts';

export type ActionRow = Stored<'followUpActions'>;
export type ResponseRow = Stored<'surveyResponses'>;
export type EvaluationRow = Stored<'evaluations'>;
export type WorkshopRow = Stored<'workshops'>;

export function readIdentity(db: VakaDatabase): Promise<DeviceIdentity | null> {
  return readDeviceIdentity(db);
}

/** The workshops this participant attended that are on the phone, earliest first. */
export async function attendedWorkshops(db: VakaDatabase): Promise<WorkshopRow[]> {
  const identity = await readDeviceIdentity(db);
  if (!identity) return [];
  const rows = await db.workshops.bulkGet(identity.workshopIds);
  return rows
    .filter((w): w is WorkshopRow => w !== undefined && !w._deleted)
    .sort((a, b) => a.startDate.localeCompare(b.startDate));
}

/** Whether this participant attended the workshop (only they log actions and answer its survey). */
export async function attended(db: VakaDatabase, workshopId: string): Promise<boolean> {
  const identity = await readDeviceIdentity(db);
  return identity?.workshopIds.includes(workshopId) ?? false;
}

/** Newest first: the participant looks for what they did last. */
export async function listActions(db: VakaDatabase, workshopId: string): Promise<ActionRow[]> {
  const rows = await db.followUpActions.where('workshopId').equals(workshopId).toArray();
  return rows
    .filter((a) => !a._deleted)
    .sort((a, b) => b.date.localeCompare(a.date) || b._updatedAt.localeCompare(a._updatedAt));
}

/** Every response row of the workshop, deleted ones included (revision logic decides). */
export async function listResponses(db: VakaDatabase, workshopId: string): Promise<ResponseRow[]> {
  return db.surveyResponses.where('workshopId').equals(workshopId).toArray();
}

export async function getEvaluation(db: VakaDatabase, workshopId: string): Promise<EvaluationRow | null> {
  const rows = await db.evaluations.where('workshopId').equals(workshopId).toArray();
  return rows.filter((e) => !e._deleted).sort((a, b) => b._updatedAt.localeCompare(a._updatedAt))[0] ?? null;
}

/** The per-record receipts ("saved on this phone" / "sent" / "file waiting") of some records. */
export async function receiptsOf(db: VakaDatabase, recordIds: readonly string[]): Promise<Map<string, Receipt>> {
  const [queued, uploads] = await Promise.all([
    db.outbox
      .where('recordId')
      .anyOf([...recordIds])
      .toArray(),
    db.pendingUploads
      .where('recordId')
      .anyOf([...recordIds])
      .toArray(),
  ]);
  const out = new Map<string, Receipt>();
  for (const id of recordIds) {
    out.set(
      id,
      receiptOf(
        queued.filter((e) => e.recordId === id).length,
        uploads.filter((u) => u.recordId === id),
      ),
    );
  }
  return out;
}
