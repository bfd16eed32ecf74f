/**
 * Sharing a training material from inside the app: the file itself through
 * the Web Share API when the phone has it downloaded and the browser can
 * share files (colleagues without Vaka can open it), otherwise a link, and
 * where there is no share sheet (most desktop browsers) the link is copied.
 * Whatever went out, the caller then offers to log "shared training
 * materials", so the follow-up log fills itself.
 */
import type { Material } from '../../../shared/schemas/workshop';
import type { VakaDatabase } from '../../../device/db/database';

export type ShareOutcome = 'shared' | 'copied' | 'cancelled' | 'unsupported' | 'failed';

/** What the share needs from the browser; injectable for tests. */
export interface ShareEnv {
  share?: (data: ShareData) => Promise<void>;
  canShare?: (data: ShareData) => boolean;
  copy?: (text: string) => Promise<void>;
  origin: string;
}

export function browserShareEnv(): ShareEnv {
  const nav = typeof navigator === 'undefined' ? undefined : navigator;
  return {
    share: typeof nav?.share === 'function' ? (data) => nav.share(data) : undefined,
    canShare: typeof nav?.canShare === 'function' ? (data) => nav.canShare(data) : undefined,
    copy: nav?.clipboard ? (text) => nav.clipboard.writeText(text) : undefined,
    origin: typeof location === 'undefined' ? '' : location.origin,
  };
}

/** The link a colleague can open: the file itself for public materials, the workshop page otherwise. */
export function materialLink(origin: string, material: Pick<Material, 'sha256' | 'audience' | 'workshopId'>): string {
  return material.audience === 'public'
    ? `${origin}/api/v1/files/${material.sha256}`
    : `${origin}/workshops/${material.workshopId}`;
}

function extensionOf(mediaType: string): string {
  const known: Record<string, string> = {
    'application/pdf': '.pdf',
    'application/vnd.openxmlformats-officedocument.presentationml.presentation': '.pptx',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document': '.docx',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': '.xlsx',
    'application/zip': '.zip',
  };
  return known[mediaType] ?? '';
}

/**
 * The material's bytes if the phone has them complete (the offline
 * downloads keep verified files as ordered chunks); null otherwise.
 */
export async function downloadedFile(
  db: VakaDatabase,
  material: Pick<Material, 'sha256' | 'title' | 'mediaType'>,
): Promise<File | null> {
  try {
    const stored = await db.files.get(material.sha256);
    if (!stored || stored.state !== 'complete') return null;
    const chunks = await db.fileChunks.where('sha256').equals(material.sha256).sortBy('offset');
    const name = `${material.title.replace(/[\\/:*?"<>|]+/g, ' ').trim() || 'material'}${extensionOf(material.mediaType)}`;
    return new File(
      chunks.map((c) => c.blob),
      name,
      { type: material.mediaType },
    );
  } catch {
    // No downloads on this phone (or an older database): share the link instead.
    return null;
  }
}

function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

/** Shares the file, or a link, or copies the link: the first the browser allows. */
export async function shareMaterial(
  material: Pick<Material, 'title' | 'sha256' | 'audience' | 'workshopId'>,
  file: File | null,
  env: ShareEnv,
): Promise<ShareOutcome> {
  const url = materialLink(env.origin, material);
  try {
    if (env.share) {
      const withFile: ShareData | null = file ? { files: [file], title: material.title } : null;
      if (withFile && env.canShare?.(withFile)) await env.share(withFile);
      else await env.share({ title: material.title, text: material.title, url });
      return 'shared';
    }
    if (env.copy) {
      await env.copy(url);
      return 'copied';
    }
    return 'unsupported';
  } catch (error) {
    return isAbort(error) ? 'cancelled' : 'failed';
  }
}
