/**
 * Sends evidence files after the text: the scheduler calls
 * `runPendingUploads` once a sync has succeeded, so answers never wait behind
 * a photo on a slow link. Each file goes up with tus (resumable: the upload's
 * URL is stored, and a cut upload continues from the last byte the server
 * confirmed, even after the app was closed). Only once the server has every
 * byte and has checked the sha256 does the record name the file
 * (`updateRecord(... {evidence})`), which queues a small patch that the next
 * sync sends. The participant may ask for files to go on Wi-Fi only.
 *
 * One context uploads at a time (Web Lock), so two tabs never send the same
 * file twice.
 */
import { Attachment } from '../../shared/schemas/followup';
import { getDb, readDeviceIdentity, type PendingUpload, type VakaDatabase } from '../db/database';
import { updateRecord, ValidationError, WriteError } from '../db/writes';

export const UPLOAD_PATH = '/api/v1/uploads';
export const UPLOAD_LOCK_NAME = 'vaka-uploads';
export const WIFI_ONLY_SETTING = 'uploads.wifiOnly';

/** Why an attempt stopped. 'retry': try again on a later run; 'refused': the server will never take this file. */
export class UploadFailure extends Error {
  override readonly name = 'UploadFailure';
  constructor(
    readonly kind: 'retry' | 'auth' | 'refused' | 'corrupt',
    readonly status: number | null,
    message: string,
  ) {
    super(message);
  }
}

export interface UploadCallbacks {
  /** The server created the upload; store its URL to resume later. */
  onUrl(url: string): void;
  /** Bytes the server has confirmed. */
  onConfirmed(bytes: number): void;
}

/** Sends one file; resolves when the server has every byte and accepted the hash, rejects with an UploadFailure. */
export type UploadTransport = (task: PendingUpload, token: string, callbacks: UploadCallbacks) => Promise<void>;

export interface UploadEnv {
  online(): boolean;
  /** navigator.connection.type where the browser tells it (Chrome on Android); undefined elsewhere. */
  connectionType(): string | undefined;
  locks: LockManager | null;
}

interface NetworkInformationLike {
  type?: string;
}

export function browserUploadEnv(): UploadEnv {
  const nav = typeof navigator === 'undefined' ? undefined : navigator;
  return {
    online: () => nav?.onLine !== false,
    connectionType: () => (nav as (typeof nav & { connection?: NetworkInformationLike }) | undefined)?.connection?.type,
    locks: nav && 'locks' in nav ? nav.locks : null,
  };
}

/** Connection types that count as Wi-Fi for the "Wi-Fi only" setting. */
const UNMETERED = new Set(['wifi', 'ethernet']);

/**
 * Whether files may go now. Where the browser does not say what the link is
 * (most except Chrome on Android), Wi-Fi only cannot be honoured and files go
 * anyway; the setting's hint says so.
 */
export function mayUpload(wifiOnly: boolean, env: Pick<UploadEnv, 'online' | 'connectionType'>): boolean {
  if (!env.online()) return false;
  if (!wifiOnly) return true;
  const type = env.connectionType();
  return type === undefined || type === 'unknown' || UNMETERED.has(type);
}

export async function readWifiOnly(db: VakaDatabase): Promise<boolean> {
  return (await db.settings.get(WIFI_ONLY_SETTING))?.value === true;
}

export async function writeWifiOnly(db: VakaDatabase, value: boolean): Promise<void> {
  await db.settings.put({ key: WIFI_ONLY_SETTING, value });
}

interface HttpErrorLike {
  originalResponse?: { getStatus(): number } | null;
}

function statusOf(error: unknown): number | null {
  const response = (error as HttpErrorLike | null)?.originalResponse;
  return response ? response.getStatus() : null;
}

/** The real transport: tus-js-client (loaded only when there is a file to send). */
export function tusTransport(baseUrl = ''): UploadTransport {
  return async (task, token, callbacks) => {
    const { Upload } = await import('tus-js-client');
    const origin = baseUrl || (typeof location !== 'undefined' ? location.origin : '');
    await new Promise<void>((resolve, reject) => {
      const upload = new Upload(task.blob, {
        endpoint: `${origin}${UPLOAD_PATH}`,
        uploadUrl: task.uploadUrl,
        headers: { Authorization: `Bearer ${token}` },
        metadata: { filename: task.name, filetype: task.mediaType, sha256: task.sha256 },
        uploadSize: task.byteSize,
        // Small chunks: on a link that drops every few minutes each confirmed
        // chunk is progress kept, and the next run resumes after it.
        chunkSize: 512 * 1024,
        retryDelays: [0, 3000, 10000],
        // The URL lives in IndexedDB with the file, not in localStorage.
        storeFingerprintForResuming: false,
        onUploadUrlAvailable: () => {
          if (upload.url) callbacks.onUrl(upload.url);
        },
        onChunkComplete: (_size, accepted) => callbacks.onConfirmed(accepted),
        onSuccess: () => resolve(),
        onError: (error) => {
          const status = statusOf(error);
          if (status === 401 || status === 403) reject(new UploadFailure('auth', status, error.message));
          else if (status === 460) reject(new UploadFailure('corrupt', status, error.message));
          else if (status === 400 || status === 413) reject(new UploadFailure('refused', status, error.message));
          else reject(new UploadFailure('retry', status, error.message));
        },
      });
      upload.start();
    });
  };
}

export interface UploadRunOptions {
  transport?: UploadTransport;
  env?: Partial<UploadEnv>;
}

export interface UploadRunResult {
  /** Another context holds the upload lock, or conditions (offline, Wi-Fi only) said wait. */
  skipped: boolean;
  uploaded: number;
  /** Files whose record is gone (deleted, refused, wiped): dropped. */
  dropped: number;
  failed: number;
}

const NOTHING: UploadRunResult = { skipped: true, uploaded: 0, dropped: 0, failed: 0 };

/**
 * Names the uploaded file in its record and forgets the bytes, in one
 * transaction: either the record lists the file and the row is gone, or
 * neither happened and the next run tries again.
 */
async function attach(db: VakaDatabase, task: PendingUpload): Promise<'attached' | 'dropped'> {
  return db.transaction(
    'rw',
    [db.followUpActions, db.outbox, db.meta, db.serverCopies, db.pendingUploads],
    async (): Promise<'attached' | 'dropped'> => {
      const record = await db.followUpActions.get(task.recordId);
      if (!record || record._deleted) {
        await db.pendingUploads.delete(task.id);
        return 'dropped';
      }
      if (!record.evidence.some((a) => a.sha256 === task.sha256)) {
        const attachment = Attachment.parse({
          sha256: task.sha256,
          name: task.name,
          mediaType: task.mediaType,
          byteSize: task.byteSize,
        });
        await updateRecord(db, 'followUpActions', task.recordId, { evidence: [...record.evidence, attachment] });
      }
      await db.pendingUploads.delete(task.id);
      return 'attached';
    },
  );
}

/** Whether a waiting file still has a live record to go to. */
async function isOrphan(db: VakaDatabase, task: PendingUpload): Promise<boolean> {
  const record = await db.followUpActions.get(task.recordId);
  return !record || record._deleted;
}

async function runLocked(db: VakaDatabase, transport: UploadTransport, env: UploadEnv): Promise<UploadRunResult> {
  const identity = await readDeviceIdentity(db);
  if (!identity) return NOTHING;
  const result: UploadRunResult = { skipped: false, uploaded: 0, dropped: 0, failed: 0 };
  const tasks = (await db.pendingUploads.toArray()).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const wifiOnly = await readWifiOnly(db);
  for (const task of tasks) {
    if (task.failure !== null) continue;
    if (await isOrphan(db, task)) {
      await db.pendingUploads.delete(task.id);
      result.dropped++;
      continue;
    }
    // Checked before each file: the link may change from Wi-Fi to mobile data mid-run.
    if (!mayUpload(wifiOnly, env)) return { ...result, skipped: result.uploaded === 0 };
    try {
      await transport(task, identity.deviceToken, {
        onUrl: (url) => void db.pendingUploads.update(task.id, { uploadUrl: url }).catch(() => undefined),
        onConfirmed: (bytes) => void db.pendingUploads.update(task.id, { bytesSent: bytes }).catch(() => undefined),
      });
    } catch (error) {
      result.failed++;
      const failure = error instanceof UploadFailure ? error : new UploadFailure('retry', null, String(error));
      if (failure.kind === 'refused') {
        await db.pendingUploads.update(task.id, { failure: failure.status === 413 ? 'too-large' : 'refused' });
        continue;
      }
      // A corrupted transfer starts again from the first byte next time.
      if (failure.kind === 'corrupt') await db.pendingUploads.update(task.id, { uploadUrl: null, bytesSent: 0 });
      // Offline, server trouble or a refused token: the next files would fail the same way.
      return result;
    }
    try {
      if ((await attach(db, task)) === 'attached') result.uploaded++;
      else result.dropped++;
    } catch (error) {
      // Already at the schema's limit of files, or the record changed under us: keep the bytes, say why.
      if (error instanceof ValidationError || error instanceof WriteError) {
        await db.pendingUploads.update(task.id, { failure: 'too-many' });
        result.failed++;
      } else throw error;
    }
  }
  return result;
}

const running = new WeakMap<VakaDatabase, Promise<UploadRunResult>>();

/**
 * Uploads every waiting file it may, oldest first, and attaches each to its
 * record. Never throws for network trouble: the next run resumes.
 */
export async function runPendingUploads(
  db: VakaDatabase = getDb(),
  options: UploadRunOptions = {},
): Promise<UploadRunResult> {
  const env: UploadEnv = { ...browserUploadEnv(), ...options.env };
  const transport = options.transport ?? tusTransport();
  // Within one context, a run asked for while another is going joins it.
  const current = running.get(db);
  if (current) return current;
  const run = (async () => {
    if ((await db.pendingUploads.count()) === 0) return NOTHING;
    const locks = env.locks;
    if (!locks) return runLocked(db, transport, env);
    return locks.request(UPLOAD_LOCK_NAME, { ifAvailable: true }, async (lock) =>
      lock ? runLocked(db, transport, env) : NOTHING,
    );
  })();
  running.set(db, run);
  try {
    return await run;
  } finally {
    running.delete(db);
  }
}
