/**
 * What an upload must be before its bytes are kept (ASVS 5.0 V5.2.1–V5.2.3):
 *
 * - its declared media type is on the allow-list of its purpose: evidence
 *   from a participant's phone (pictures, documents, sound, video) or a
 *   coordinator's material (anything media-types.ts allows);
 * - its first bytes agree with that type, as the `file-type` detector reads
 *   them: a program renamed to slides.pdf is refused. Plain text and CSV have
 *   no signature: they are accepted when nothing is detected and the bytes
 *   hold no NUL;
 * - it fits in the uploader's quota (UPLOAD_QUOTA_MB, counted in upload_usage,
 *   each distinct file once).
 *
 * The refusals are sentences a participant can act on, in the answer body.
 * File names are never used to store or serve a file (the store is by
 * sha256); `safeFileName` cleans the one a device declares before it is
 * kept in the upload's metadata.
 */
import { fileTypeFromBuffer } from 'file-type';
import type { Db } from './sync/store';
import { ALLOWED_MEDIA_TYPES, isAllowedMediaType } from './media-types';

export type UploadPurpose = 'evidence' | 'materials';

/** A phone's evidence: the materials' types without the opaque containers (zip, octet-stream), which
 * carry no signature a phone's photo, document or recording would lack. */
const EVIDENCE: ReadonlySet<string> = new Set(
  [...ALLOWED_MEDIA_TYPES].filter((t) => t !== 'application/zip' && t !== 'application/octet-stream'),
);

export function allowedFor(purpose: UploadPurpose, mediaType: string): boolean {
  const type = mediaType.trim().toLowerCase();
  return purpose === 'evidence' ? EVIDENCE.has(type) : isAllowedMediaType(type);
}

/** Types that name the same bytes: what a browser declares and what the detector says may differ within a group. */
const SAME_BYTES: readonly (readonly string[])[] = [
  ['application/msword', 'application/vnd.ms-excel', 'application/vnd.ms-powerpoint', 'application/x-cfb'],
  ['audio/mp4', 'audio/x-m4a', 'audio/aac', 'video/mp4', 'video/quicktime', 'video/3gpp'],
  ['audio/wav', 'audio/vnd.wave', 'audio/x-wav'],
  ['audio/webm', 'video/webm'],
  ['audio/ogg', 'audio/opus', 'video/ogg'],
  ['image/heic', 'image/heif', 'image/heic-sequence', 'image/heif-sequence'],
  ['application/rtf', 'text/rtf'],
];

/** What the detector may call a file whose declared type has no signature of its own. */
const SIGNATURE_FREE = new Set(['text/plain', 'text/csv']);

function sameBytes(declared: string, detected: string): boolean {
  if (declared === detected) return true;
  return SAME_BYTES.some((group) => group.includes(declared) && group.includes(detected));
}

export const CONTENT_MISMATCH =
  'This file is not what its name says: its contents are not a {type}. Vaka only takes pictures, documents, sound and video. If the file is right, save it again from the program that made it and upload that copy.';

export type ContentCheck = { ok: true } | { ok: false; detected: string | null; message: string };

/** Compares the declared type with the file's first bytes (see the header for the rules). */
export async function checkContent(head: Uint8Array, declared: string, purpose: UploadPurpose): Promise<ContentCheck> {
  const type = declared.trim().toLowerCase();
  const detected = (await fileTypeFromBuffer(head))?.mime ?? null;
  const message = CONTENT_MISMATCH.replace('{type}', describe(type));
  if (detected === null) {
    if (SIGNATURE_FREE.has(type) && !head.includes(0)) return { ok: true };
    // A coordinator's unknown file is only ever downloaded (nosniff, attachment); it still may not be a program.
    if (purpose === 'materials' && type === 'application/octet-stream') return { ok: true };
    return { ok: false, detected, message };
  }
  if (type === 'application/octet-stream' && purpose === 'materials' && allowedFor(purpose, detected))
    return { ok: true };
  if (sameBytes(type, detected) && allowedFor(purpose, type)) return { ok: true };
  return { ok: false, detected, message };
}

function describe(type: string): string {
  if (type === 'application/pdf') return 'PDF';
  const [kind, sub] = type.split('/');
  if (kind === 'image') return `${(sub ?? '').toUpperCase()} picture`;
  if (kind === 'audio') return 'sound file';
  if (kind === 'video') return 'video';
  if (type.includes('officedocument') || type.includes('ms-') || type === 'application/msword')
    return 'Office document';
  if (type.includes('opendocument')) return 'OpenDocument file';
  return `${type} file`;
}

function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return mb >= 10 ? `${Math.round(mb)} MB` : `${mb.toFixed(1)} MB`;
}

/** Bytes stored by this uploader (a participant id, or coordinator:<id>). */
export async function bytesUsed(db: Db, owner: string): Promise<number> {
  const row = await db
    .selectFrom('upload_usage')
    .select((eb) => eb.fn.sum<number>('byte_size').as('used'))
    .where('owner', '=', owner)
    .executeTakeFirst();
  return Number(row?.used ?? 0);
}

/** Null when a file of `size` bytes fits; otherwise the sentence to show the person uploading it. */
export async function quotaProblem(db: Db, owner: string, size: number, quota: number): Promise<string | null> {
  const used = await bytesUsed(db, owner);
  if (used + size <= quota) return null;
  const left = Math.max(0, quota - used);
  return `This file is ${megabytes(size)}, but only ${megabytes(left)} of your ${megabytes(quota)} for uploads is left. Send a smaller file (a shorter video, or a photo instead), or ask your workshop coordinator to make room.`;
}

/** Counts a stored file against its uploader once, however often it is uploaded again. */
export async function recordUsage(db: Db, owner: string, sha256: string, byteSize: number, now: string): Promise<void> {
  await db
    .insertInto('upload_usage')
    .values({ owner, sha256, byte_size: byteSize, created_at: now })
    .onConflict((oc) => oc.columns(['owner', 'sha256']).doNothing())
    .execute();
}

/**
 * A declared file name reduced to something safe to keep and show: no
 * directories, no control or reserved characters, no leading dots, at most
 * 120 characters with the extension kept.
 */
export function safeFileName(name: string | undefined): string {
  const base = (name ?? '').normalize('NFC').split(/[\\/]/).pop() ?? '';
  const cleaned = base
    // eslint-disable-next-line no-control-regex -- control characters are what is being removed
    .replace(/[\u0000-\u001f\u007f<>:"|?*\u202a-\u202e\u2066-\u2069]/g, '_')
    .replace(/^[.\s]+/, '')
    .trim();
  if (!cleaned) return 'file';
  if (cleaned.length <= 120) return cleaned;
  const dot = cleaned.lastIndexOf('.');
  const ext = dot > 0 && cleaned.length - dot <= 10 ? cleaned.slice(dot) : '';
  return cleaned.slice(0, 120 - ext.length) + ext;
}
