/**
 * Sending a material's file to the server: its SHA-256 first (the file's
 * name in the content-addressed store, and what the server checks the bytes
 * against), then a resumable tus upload with progress, so a cut connection
 * at a venue resumes where it stopped instead of starting over.
 */
import { Upload } from 'tus-js-client';
import { API } from '../core/api';
import { currentToken } from '../core/store';

export async function sha256Hex(file: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** What the schema accepts as a media type; browsers leave it empty for unknown extensions. */
export function mediaTypeOf(file: File): string {
  const type = file.type.toLowerCase();
  return /^[a-z]+\/[a-z0-9.+-]+$/.test(type) ? type : 'application/octet-stream';
}

export class UploadFailed extends Error {
  constructor(
    readonly status: number | null,
    message: string,
  ) {
    super(message);
  }
}

export interface UploadHandle {
  done: Promise<void>;
  abort: () => void;
}

export function uploadFile(
  file: File,
  sha256: string,
  onProgress: (sent: number, total: number) => void,
): UploadHandle {
  let upload: Upload | null = null;
  const done = new Promise<void>((resolve, reject) => {
    upload = new Upload(file, {
      endpoint: `${API}/uploads`,
      headers: { authorization: `Bearer ${currentToken() ?? ''}` },
      metadata: { filename: file.name, filetype: mediaTypeOf(file), sha256 },
      // Chunks keep each request short on a slow link; a failed chunk is retried, not the file.
      chunkSize: 5 * 1024 * 1024,
      retryDelays: [0, 2000, 5000, 10000, 30000],
      removeFingerprintOnSuccess: true,
      onProgress,
      onSuccess: () => resolve(),
      onError: (error) => {
        const status =
          'originalResponse' in error && error.originalResponse ? error.originalResponse.getStatus() : null;
        const body = 'originalResponse' in error && error.originalResponse ? error.originalResponse.getBody() : '';
        reject(new UploadFailed(status, body || error.message));
      },
    });
    void upload
      .findPreviousUploads()
      .then((previous) => {
        const last = previous[0];
        if (last) upload?.resumeFromPreviousUpload(last);
        upload?.start();
      })
      .catch(() => upload?.start());
  });
  return {
    done,
    abort: () => {
      void (upload as Upload | null)?.abort();
    },
  };
}
