/**
 * The media types a material or an evidence file may have (ASVS 5.0 V3.2.1, V5.2). Files
 * are served from this origin, so anything a browser would run or render as
 * a document (HTML, SVG, XML, JavaScript, CSS) is refused at upload and at
 * publication, whatever the content security policy would do with it later.
 * Office documents, PDFs, pictures, sound and video are what workshops use;
 * application/octet-stream is what the coordinator's browser sends for an
 * unknown extension, and it is only ever downloaded (nosniff).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { securityEvent } from './security-log';

export const ALLOWED_MEDIA_TYPES: ReadonlySet<string> = new Set([
  'application/pdf',
  'application/zip',
  'application/octet-stream',
  'application/rtf',
  'application/msword',
  'application/vnd.ms-excel',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
  'text/plain',
  'text/csv',
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
  'image/heic',
  'image/heif',
  'image/avif',
  'audio/mpeg',
  'audio/mp4',
  'audio/aac',
  'audio/ogg',
  'audio/wav',
  'audio/webm',
  'video/mp4',
  'video/webm',
  'video/quicktime',
  'video/3gpp',
]);

export function isAllowedMediaType(mediaType: string): boolean {
  return ALLOWED_MEDIA_TYPES.has(mediaType.trim().toLowerCase());
}

export const MEDIA_TYPE_REFUSED =
  'This kind of file cannot be shared through Vaka. Send a PDF, an Office document, a picture, a sound or a video.';

/** The `filetype` of a tus Upload-Metadata header ("key base64,key base64"), or null when absent or unreadable. */
export function uploadFiletype(header: string | undefined): string | null {
  if (!header) return null;
  for (const pair of header.split(',')) {
    const [key, value] = pair.trim().split(' ');
    if (key !== 'filetype') continue;
    if (!value) return null;
    return Buffer.from(value, 'base64').toString('utf8');
  }
  return null;
}

/**
 * Answers 415 (and logs it) when `mediaType` is not allowed; the upload and
 * material routes call it before anything is stored. Returns true when refused.
 */
export function refuseMediaType(request: FastifyRequest, reply: FastifyReply, mediaType: string | null): boolean {
  if (mediaType === null || isAllowedMediaType(mediaType)) return false;
  securityEvent(request, 'upload.refused', { status: 415, reason: 'media_type', mediaType: mediaType.slice(0, 100) });
  void reply.code(415).send({ error: 'media_type_not_allowed', message: MEDIA_TYPE_REFUSED });
  return true;
}
