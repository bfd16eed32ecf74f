/**
 * The unsynced-records export: every queued change with the local state of
 * the records it touches, each record once, refused changes kept, evidence
 * files listed without their bytes, and never the device token.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeDeviceIdentity, type VakaDatabase } from '../../../device/db/database';
import { createRecord, updateRecord } from '../../../device/db/writes';
import { fakeUuid } from '../../../device/sync/testing/fake-sync-server';
import { actionData, freshDb } from '../../../device/sync/testing/fixtures';
import { buildUnsyncedExport, EXPORT_FORMAT, exportFileName, waitedLong } from './export';

let db: VakaDatabase;
const workshopId = fakeUuid();
const participantId = fakeUuid();

beforeEach(async () => {
  db = freshDb('export');
  await writeDeviceIdentity(db, {
    key: 'device',
    deviceId: 'device-1',
    deviceToken: 'secret-token-never-exported',
    participantId,
    workshopIds: [workshopId],
    enrolledAt: '2025-01-01T00:00:00.000Z',
  });
});

afterEach(() => db.close());

describe('buildUnsyncedExport', () => {
  it('carries the outbox and each touched record once, without the token', async () => {
    const action = await createRecord(db, 'followUpActions', { ...actionData(workshopId), participantId });
    await updateRecord(db, 'followUpActions', action.id, {
      description: 'Shared with the audit unit and the PCA team',
    });
    await db.rejections.add({
      mid: 9,
      collection: 'followUpActions',
      recordId: fakeUuid(),
      op: 'create',
      fields: { description: 'Refused' },
      code: 'invalid',
      message: 'date in the future',
      at: '2025-01-02T00:00:00.000Z',
      seen: true,
    });
    await db.pendingUploads.add({
      id: 'up-1',
      collection: 'followUpActions',
      recordId: action.id,
      name: 'photo.jpg',
      mediaType: 'image/jpeg',
      byteSize: 3,
      sha256: 'b'.repeat(64),
      blob: new Blob([new Uint8Array([1, 2, 3])]),
      uploadUrl: null,
      bytesSent: 0,
      failure: null,
      createdAt: '2025-01-02T00:00:00.000Z',
    });

    const result = await buildUnsyncedExport(db, new Date('2025-03-01T10:20:00Z'));
    expect(result).toMatchObject({
      format: EXPORT_FORMAT,
      exportedAt: '2025-03-01T10:20:00.000Z',
      deviceId: 'device-1',
      participantId,
    });
    expect(result.outbox).toHaveLength(2);
    expect(result.records).toHaveLength(1);
    expect(result.records[0]).toMatchObject({
      collection: 'followUpActions',
      id: action.id,
      record: { description: 'Shared with the audit unit and the PCA team' },
    });
    expect(result.rejected).toHaveLength(1);
    expect(result.evidenceWaiting).toEqual([
      {
        id: 'up-1',
        recordId: action.id,
        name: 'photo.jpg',
        mediaType: 'image/jpeg',
        byteSize: 3,
        sha256: 'b'.repeat(64),
      },
    ]);
    expect(JSON.stringify(result)).not.toContain('secret-token');
  });

  it('is empty but valid when everything was sent', async () => {
    const result = await buildUnsyncedExport(db);
    expect(result.outbox).toEqual([]);
    expect(result.records).toEqual([]);
  });
});

describe('helpers', () => {
  it('names the file by time and tells a long wait', () => {
    expect(exportFileName(new Date('2025-03-01T10:20:30Z'))).toBe('vaka-unsent-2025-03-01-10-20.json');
    const now = Date.parse('2025-03-10T00:00:00Z');
    expect(waitedLong('2025-03-01T00:00:00Z', now)).toBe(true);
    expect(waitedLong('2025-03-08T00:00:00Z', now)).toBe(false);
    expect(waitedLong(null, now)).toBe(false);
  });
});
