/**
 * Enrolled devices: listing them with their last contact, and revoking one.
 * A revoked device gets 401 `revoked` on its next request and removes its
 * participant's data. Revoking is idempotent and keeps the first revocation
 * time, whether the coordinator API or the operator CLI asks for it.
 */
import type { Db } from '../sync/store';

export interface DeviceListItem {
  id: string;
  participantId: string;
  /** Null when the participant record is missing. */
  participantName: string | null;
  name: string;
  createdAt: string;
  lastSeenAt: string | null;
  revokedAt: string | null;
  lastMid: number;
}

/** Devices in the order they were enrolled, optionally only one participant's. */
export async function listDevices(db: Db, filter: { participantId?: string } = {}): Promise<DeviceListItem[]> {
  let q = db
    .selectFrom('devices')
    .leftJoin('records', 'records.id', 'devices.participant_id')
    .select([
      'devices.id',
      'devices.participant_id',
      'devices.name',
      'devices.created_at',
      'devices.last_seen_at',
      'devices.revoked_at',
      'devices.last_mid',
      'records.data',
    ])
    .orderBy('devices.created_at');
  if (filter.participantId) q = q.where('devices.participant_id', '=', filter.participantId);
  const rows = await q.execute();
  return rows.map((d) => ({
    id: d.id,
    participantId: d.participant_id,
    participantName: d.data ? String((JSON.parse(d.data) as { fullName?: string }).fullName ?? '') : null,
    name: d.name,
    createdAt: d.created_at,
    lastSeenAt: d.last_seen_at,
    revokedAt: d.revoked_at,
    lastMid: Number(d.last_mid),
  }));
}

export type RevokeOutcome = { kind: 'revoked'; revokedAt: string } | { kind: 'not_found' };

/** Revokes a device; a device revoked before keeps its first revocation time, which is returned. */
export async function revokeDevice(db: Db, deviceId: string, now: Date): Promise<RevokeOutcome> {
  await db
    .updateTable('devices')
    .set({ revoked_at: now.toISOString() })
    .where('id', '=', deviceId)
    .where('revoked_at', 'is', null)
    .execute();
  const device = await db.selectFrom('devices').select('revoked_at').where('id', '=', deviceId).executeTakeFirst();
  return device?.revoked_at ? { kind: 'revoked', revokedAt: device.revoked_at } : { kind: 'not_found' };
}

export interface DeviceContact {
  /** Devices enrolled and not revoked. */
  activeDevices: number;
  /** Latest contact of any of the participant's devices, revoked ones included; null if none ever synced. */
  lastContact: string | null;
}

/** For each of these participants who has a device: how many are active and when one last made contact. */
export async function deviceContacts(db: Db, participantIds: readonly string[]): Promise<Map<string, DeviceContact>> {
  const out = new Map<string, DeviceContact>();
  if (participantIds.length === 0) return out;
  const rows = await db
    .selectFrom('devices')
    .select(['participant_id', 'last_seen_at', 'revoked_at'])
    .where('participant_id', 'in', participantIds)
    .execute();
  for (const d of rows) {
    const seen = out.get(d.participant_id) ?? { activeDevices: 0, lastContact: null };
    if (d.revoked_at === null) seen.activeDevices += 1;
    if (d.last_seen_at !== null && (seen.lastContact === null || d.last_seen_at > seen.lastContact))
      seen.lastContact = d.last_seen_at;
    out.set(d.participant_id, seen);
  }
  return out;
}
