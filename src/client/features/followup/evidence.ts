/**
 * Evidence files on the device: checking and hashing a picked file, and
 * saving an action together with its files in one transaction, so a saved
 * action never lacks the photo the participant just picked (or the reverse).
 * The record names a file only after the uploader has sent it
 * (src/device/sync/uploads.ts); until then the bytes wait in
 * `pendingUploads`.
 */
import { v7 as uuidv7 } from 'uuid';
import { Attachment } from '../../../shared/schemas/followup';
import type { PendingUpload, Stored, VakaDatabase } from '../../../device/db/database';
import {
  createRecord,
  deleteRecord,
  updateRecord,
  type CreateInput,
  type UpdateInput,
} from '../../../device/db/writes';

/** The server's limit per file (src/server/routes/uploads.ts) and the schema's per record. */
export const MAX_EVIDENCE_BYTES = 50 * 1024 * 1024;
export const MAX_EVIDENCE_FILES = 10;

/** A file picked in the form, ready to store. */
export interface PickedFile {
  id: string;
  name: string;
  mediaType: string;
  byteSize: number;
  sha256: string;
  blob: Blob;
}

export type PickError = 'empty' | 'too-large' | 'unsupported';

const MEDIA_TYPE = /^[a-z]+\/[a-z0-9.+-]+$/;

/** Phones give odd or empty types (HEIC photos often have none); the schema needs a plain media type. */
export function normalizeMediaType(type: string): string {
  const plain = type.split(';')[0]!.trim().toLowerCase();
  return MEDIA_TYPE.test(plain) ? plain : 'application/octet-stream';
}

/** File names are free text the server keeps (at most 200 characters); keep the extension when cutting. */
export function normalizeFileName(name: string): string {
  const trimmed = name.trim() || 'file';
  if (trimmed.length <= 200) return trimmed;
  const dot = trimmed.lastIndexOf('.');
  const ext = dot > 0 && trimmed.length - dot <= 10 ? trimmed.slice(dot) : '';
  return trimmed.slice(0, 200 - ext.length) + ext;
}

export async function sha256Hex(blob: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Checks and hashes a picked file; the hash is what the server verifies on the last byte. */
export async function prepareFile(file: Blob & { name?: string }): Promise<PickedFile | PickError> {
  if (file.size === 0) return 'empty';
  if (file.size > MAX_EVIDENCE_BYTES) return 'too-large';
  // Web Crypto exists only on secure origins (https, localhost).
  if (typeof crypto === 'undefined' || !crypto.subtle) return 'unsupported';
  return {
    id: uuidv7(),
    name: normalizeFileName(file.name ?? 'file'),
    mediaType: normalizeMediaType(file.type),
    byteSize: file.size,
    sha256: await sha256Hex(file),
    blob: file,
  };
}

function pendingRow(recordId: string, file: PickedFile, now: string): PendingUpload {
  return {
    id: file.id,
    collection: 'followUpActions',
    recordId,
    name: file.name,
    mediaType: file.mediaType,
    byteSize: file.byteSize,
    sha256: file.sha256,
    blob: file.blob,
    uploadUrl: null,
    bytesSent: 0,
    failure: null,
    createdAt: now,
  };
}

function actionTables(db: VakaDatabase) {
  return [db.followUpActions, db.outbox, db.meta, db.serverCopies, db.pendingUploads];
}

/** Creates an action and queues its files, all or nothing. */
export async function createActionWithEvidence(
  db: VakaDatabase,
  input: CreateInput<'followUpActions'>,
  files: readonly PickedFile[],
): Promise<Stored<'followUpActions'>> {
  return db.transaction('rw', actionTables(db), async () => {
    const saved = await createRecord(db, 'followUpActions', input);
    const now = new Date().toISOString();
    await db.pendingUploads.bulkAdd(files.map((f) => pendingRow(saved.id, f, now)));
    return saved;
  });
}

/**
 * Saves edits and the changes to evidence: files picked now are queued,
 * queued files the participant removed are dropped, and uploaded files they
 * removed leave the record's evidence list.
 */
export async function updateActionWithEvidence(
  db: VakaDatabase,
  id: string,
  changes: UpdateInput<'followUpActions'>,
  evidence: { add: readonly PickedFile[]; removePending: readonly string[]; removeUploaded: readonly string[] },
): Promise<Stored<'followUpActions'>> {
  return db.transaction('rw', actionTables(db), async () => {
    const current = await db.followUpActions.get(id);
    const kept = (current?.evidence ?? []).filter((a) => !evidence.removeUploaded.includes(a.sha256));
    const saved = await updateRecord(db, 'followUpActions', id, {
      ...changes,
      ...(evidence.removeUploaded.length > 0 ? { evidence: kept.map((a) => Attachment.parse(a)) } : {}),
    });
    await db.pendingUploads.bulkDelete([...evidence.removePending]);
    const now = new Date().toISOString();
    await db.pendingUploads.bulkAdd(evidence.add.map((f) => pendingRow(id, f, now)));
    return saved;
  });
}

/** Files still waiting for a record, oldest first. */
export async function pendingFilesOf(db: VakaDatabase, recordId: string): Promise<PendingUpload[]> {
  const rows = await db.pendingUploads.where('recordId').equals(recordId).toArray();
  return rows.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** Soft-deletes an action (the deletion syncs) and drops its files that never left the phone. */
export async function deleteActionWithEvidence(db: VakaDatabase, id: string): Promise<void> {
  await db.transaction('rw', actionTables(db), async () => {
    await deleteRecord(db, 'followUpActions', id);
    await db.pendingUploads.where('recordId').equals(id).delete();
  });
}
