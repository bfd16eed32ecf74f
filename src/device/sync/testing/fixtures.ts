/**
 * Small valid records and enrolled test devices for the db and sync tests.
 * Test-only; nothing in the app imports it.
 */
import { VakaDatabase, writeDeviceIdentity, type DeviceIdentity } from '../../db/database';
import { fakeUuid, type FakeDevice, type FakeSyncServer } from './fake-sync-server';

let dbCounter = 0;

/** A fresh database per test: fake-indexeddb keeps databases for the whole file otherwise. */
export function freshDb(label = 'test'): VakaDatabase {
  dbCounter++;
  return new VakaDatabase(`vaka-${label}-${dbCounter}-${Math.random().toString(36).slice(2)}`);
}

export const workshopData = (id = fakeUuid()) => ({
  id,
  title: 'Sub-regional workshop on post-clearance audit',
  kind: 'sub-regional' as const,
  topic: 'PCA',
  startDate: '2024-06-10',
  endDate: '2024-06-14',
  timeZone: 'Pacific/Fiji',
  mode: 'in-person' as const,
  venue: { city: 'Suva', country: 'Fiji' },
  organisers: ['ROCB A/P'],
});

export const materialData = (workshopId: string, audience: 'public' | 'participants' = 'public', id = fakeUuid()) => ({
  id,
  workshopId,
  title: audience === 'public' ? 'Public slides' : 'Participants-only handbook',
  language: 'en',
  mediaType: 'application/pdf',
  byteSize: 1000,
  sha256: 'a'.repeat(64),
  version: 1,
  audience,
});

export const participantData = (id = fakeUuid()) => ({ id, fullName: 'Mele Taufa', memberCode: 'TO' });

export const actionData = (workshopId: string, extra: Record<string, unknown> = {}) => ({
  workshopId,
  kind: 'share-materials' as const,
  date: '2024-07-01',
  description: 'Shared the PCA slides with the audit unit',
  ...extra,
});

export const evaluationData = (workshopId: string) => ({
  workshopId,
  overall: 5,
  relevance: 4,
  materials: 4,
  facilitation: 5,
});

export interface TestClient {
  db: VakaDatabase;
  device: FakeDevice;
}

/** A device enrolled on the fake server, with its identity already stored (as enroll() would). */
export async function enrolledClient(
  server: FakeSyncServer,
  participantId: string,
  workshopIds: string[],
  label = 'client',
): Promise<TestClient> {
  const device = server.enrol(participantId, workshopIds);
  const db = freshDb(label);
  const identity: DeviceIdentity = {
    key: 'device',
    deviceId: device.deviceId,
    deviceToken: device.token,
    participantId,
    workshopIds,
    enrolledAt: '2025-01-01T00:00:00.000Z',
  };
  await writeDeviceIdentity(db, identity);
  return { db, device };
}
