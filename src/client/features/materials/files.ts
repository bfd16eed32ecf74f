/**
 * Small helpers around a downloaded material file: a file name people
 * recognise, whether the browser opens the type itself, and sharing the
 * file through the phone's share sheet where the browser can share files.
 */

const EXTENSIONS: Record<string, string> = {
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/zip': 'zip',
  'text/plain': 'txt',
};

export function fileNameFor(title: string, mediaType: string): string {
  // Characters no file system accepts, and control characters, become spaces.
  const cleaned = [...title].map((c) => (c.charCodeAt(0) < 32 || '\\/:*?"<>|'.includes(c) ? ' ' : c)).join('');
  const base = cleaned.replace(/\s+/g, ' ').trim().slice(0, 80) || 'material';
  const extension = EXTENSIONS[mediaType] ?? mediaType.split('/')[1]?.split(/[.+]/)[0] ?? 'bin';
  return `${base}.${extension}`;
}

/**
 * PDFs, images and plain text open in the browser's own viewer; anything
 * else (slides, spreadsheets) is better saved and opened with an app.
 */
export function opensInBrowser(mediaType: string): boolean {
  return mediaType === 'application/pdf' || mediaType.startsWith('image/') || mediaType === 'text/plain';
}

export function canShareFiles(file: File): boolean {
  return (
    typeof navigator.canShare === 'function' && navigator.share !== undefined && navigator.canShare({ files: [file] })
  );
}

export type ShareResult = 'shared' | 'cancelled' | 'failed';

export async function shareFile(file: File, title: string): Promise<ShareResult> {
  try {
    await navigator.share({ files: [file], title });
    return 'shared';
  } catch (error) {
    return error instanceof DOMException && error.name === 'AbortError' ? 'cancelled' : 'failed';
  }
}
