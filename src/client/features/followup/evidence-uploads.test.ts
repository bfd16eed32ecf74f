/**
 * Evidence uploads (src/device/sync/uploads.ts) driven by the follow-up form's
 * evidence helpers: files go after the text, resume from the stored URL, and
 * join their record only when complete. Beside the evidence helpers, because
 * the device core never imports the window app.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { writeDeviceIdentity, type PendingUpload, type VakaDatabase } from '../../../device/db/database';
import { createRecord, deleteRecord } from '../../../device/db/writes';
import { createActionWithEvidence, prepareFile, type PickedFile, updateActionWithEvidence } from './evidence';
import { actionData, freshDb } from '../../../device/sync/testing/fixtures';
import { fakeUuid } from '../../../device/sync/testing/fake-sync-server';
import {
  mayUpload,
  runPendingUploads,
  UploadFailure,
  writeWifiOnly,
  type UploadTransport,
} from '../../../device/sync/uploads';

const participantId = fakeUuid();
const workshopId = fakeUuid();
const opened: VakaDatabase[] = [];

async function enrolledDb(): Promise<VakaDatabase> {
  const db = freshDb('uploads');
  opened.push(db);
  await writeDeviceIdentity(db, {
    key: 'device',
    deviceId: fakeUuid(),
    deviceToken: 'device-token',
    participantId,
    workshopIds: [workshopId],
    enrolledAt: '2025-01-01T00:00:00.000Z',
  });
  return db;
}

afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

async function photo(text = 'in-house session photo'): Promise<PickedFile> {
  const file = Object.assign(new Blob([text], { type: 'image/jpeg' }), { name: 'session.jpg' });
  const picked = await prepareFile(file);
  if (typeof picked === 'string') throw new Error(picked);
  return picked;
}

const online = { online: () => true, connectionType: () => undefined, locks: null };

/** A transport that records what it was asked to send and succeeds. */
function recordingTransport(): UploadTransport & { sent: { name: string; token: string; url: string | null }[] } {
  const sent: { name: string; token: string; url: string | null }[] = [];
  const transport = (async (task: PendingUpload, token: string, callbacks) => {
    sent.push({ name: task.name, token, url: task.uploadUrl });
    callbacks.onUrl('https://example.test/api/v1/uploads/abc');
    callbacks.onConfirmed(task.byteSize);
  }) as UploadTransport & { sent: typeof sent };
  transport.sent = sent;
  return transport;
}

describe('picking a file', () => {
  it('hashes it with SHA-256 and refuses empty files', async () => {
    const picked = await photo('abc');
    expect(picked.sha256).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(picked.mediaType).toBe('image/jpeg');
    expect(await prepareFile(Object.assign(new Blob([]), { name: 'empty.txt' }))).toBe('empty');
  });
});

describe('runPendingUploads', () => {
  it('saves the action without the file, then names the file once it is uploaded', async () => {
    const db = await enrolledDb();
    const file = await photo();
    const action = await createActionWithEvidence(db, actionData(workshopId), [file]);
    expect(action.evidence).toEqual([]);
    expect(await db.pendingUploads.count()).toBe(1);
    expect(await db.outbox.count()).toBe(1);

    const transport = recordingTransport();
    const result = await runPendingUploads(db, { transport, env: online });
    expect(result).toMatchObject({ skipped: false, uploaded: 1 });
    expect(transport.sent).toEqual([{ name: 'session.jpg', token: 'device-token', url: null }]);
    const saved = await db.followUpActions.get(action.id);
    expect(saved?.evidence).toEqual([
      { sha256: file.sha256, name: 'session.jpg', mediaType: 'image/jpeg', byteSize: file.byteSize },
    ]);
    expect(await db.pendingUploads.count()).toBe(0);
    // The create, then a patch naming the file: text first, files later.
    const outbox = await db.outbox.orderBy('mid').toArray();
    expect(outbox.map((e) => e.op)).toEqual(['create', 'patch']);
    expect(outbox[1]).toMatchObject({ fields: { evidence: saved?.evidence } });
  });

  it('keeps the bytes and the upload URL when the link drops, and resumes from that URL next time', async () => {
    const db = await enrolledDb();
    await createActionWithEvidence(db, actionData(workshopId), [await photo()]);
    const failing: UploadTransport = async (_task, _token, callbacks) => {
      callbacks.onUrl('https://example.test/api/v1/uploads/resume-me');
      callbacks.onConfirmed(5);
      throw new UploadFailure('retry', null, 'network error');
    };
    expect(await runPendingUploads(db, { transport: failing, env: online })).toMatchObject({ uploaded: 0, failed: 1 });
    // The callbacks' writes are fire-and-forget; let them land.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const [waiting] = await db.pendingUploads.toArray();
    expect(waiting).toMatchObject({ uploadUrl: 'https://example.test/api/v1/uploads/resume-me', bytesSent: 5 });

    const transport = recordingTransport();
    await runPendingUploads(db, { transport, env: online });
    expect(transport.sent[0]?.url).toBe('https://example.test/api/v1/uploads/resume-me');
    expect(await db.pendingUploads.count()).toBe(0);
  });

  it('starts over after the server found the bytes corrupted, and marks refused files for the participant', async () => {
    const db = await enrolledDb();
    await createActionWithEvidence(db, actionData(workshopId), [await photo()]);
    await db.pendingUploads.toCollection().modify({ uploadUrl: 'https://example.test/u/1', bytesSent: 9 });
    const corrupt: UploadTransport = async () => {
      throw new UploadFailure('corrupt', 460, 'sha256 mismatch');
    };
    await runPendingUploads(db, { transport: corrupt, env: online });
    expect(await db.pendingUploads.toArray()).toMatchObject([{ uploadUrl: null, bytesSent: 0, failure: null }]);

    const refused: UploadTransport = async () => {
      throw new UploadFailure('refused', 413, 'too large');
    };
    await runPendingUploads(db, { transport: refused, env: online });
    expect(await db.pendingUploads.toArray()).toMatchObject([{ failure: 'too-large' }]);
    // A refused file is not retried.
    const transport = recordingTransport();
    await runPendingUploads(db, { transport, env: online });
    expect(transport.sent).toEqual([]);
  });

  it('drops files of an action deleted meanwhile, without sending them', async () => {
    const db = await enrolledDb();
    const action = await createActionWithEvidence(db, actionData(workshopId), [await photo()]);
    // A deletion through the write layer alone (e.g. from another screen) leaves the file row behind.
    await deleteRecord(db, 'followUpActions', action.id);
    const transport = recordingTransport();
    expect(await runPendingUploads(db, { transport, env: online })).toMatchObject({ dropped: 1, uploaded: 0 });
    expect(transport.sent).toEqual([]);
    expect(await db.pendingUploads.count()).toBe(0);
  });

  it('waits while offline, and on mobile data when the participant chose Wi-Fi only', async () => {
    const db = await enrolledDb();
    await createActionWithEvidence(db, actionData(workshopId), [await photo()]);
    const transport = recordingTransport();
    expect(await runPendingUploads(db, { transport, env: { ...online, online: () => false } })).toMatchObject({
      skipped: true,
    });
    await writeWifiOnly(db, true);
    expect(
      await runPendingUploads(db, { transport, env: { ...online, connectionType: () => 'cellular' } }),
    ).toMatchObject({ skipped: true });
    expect(transport.sent).toEqual([]);
    await runPendingUploads(db, { transport, env: { ...online, connectionType: () => 'wifi' } });
    expect(transport.sent).toHaveLength(1);
  });

  it('adds files picked while editing and removes files the participant took off', async () => {
    const db = await enrolledDb();
    const first = await photo('first');
    const action = await createActionWithEvidence(db, actionData(workshopId), [first]);
    await runPendingUploads(db, { transport: recordingTransport(), env: online });
    const second = await photo('second');
    await updateActionWithEvidence(
      db,
      action.id,
      { description: 'Shared the slides and the photo' },
      { add: [second], removePending: [], removeUploaded: [first.sha256] },
    );
    expect((await db.followUpActions.get(action.id))?.evidence).toEqual([]);
    await runPendingUploads(db, { transport: recordingTransport(), env: online });
    expect((await db.followUpActions.get(action.id))?.evidence.map((a) => a.sha256)).toEqual([second.sha256]);
  });

  it('does nothing before enrolment or when nothing waits', async () => {
    const db = freshDb('uploads-none');
    opened.push(db);
    expect(await runPendingUploads(db, { transport: recordingTransport(), env: online })).toMatchObject({
      skipped: true,
    });
    const enrolled = await enrolledDb();
    await createRecord(enrolled, 'followUpActions', actionData(workshopId));
    expect(await runPendingUploads(enrolled, { transport: recordingTransport(), env: online })).toMatchObject({
      skipped: true,
      uploaded: 0,
    });
  });
});

describe('mayUpload', () => {
  it('honours Wi-Fi only where the browser tells the link type, and does not block where it cannot', () => {
    const env = (online: boolean, type: string | undefined) => ({ online: () => online, connectionType: () => type });
    expect(mayUpload(false, env(true, 'cellular'))).toBe(true);
    expect(mayUpload(true, env(true, 'cellular'))).toBe(false);
    expect(mayUpload(true, env(true, 'wifi'))).toBe(true);
    expect(mayUpload(true, env(true, 'ethernet'))).toBe(true);
    expect(mayUpload(true, env(true, undefined))).toBe(true);
    expect(mayUpload(false, env(false, 'wifi'))).toBe(false);
  });
});
