/**
 * Picks the one place this server keeps files' bytes, from the
 * configuration: an S3-compatible bucket when S3_BUCKET is set (so every
 * instance behind a load balancer sees the same files), else FILES_DIR on
 * the local disk.
 */
import type { ServerConfig } from '../config';
import type { FileStorage } from './storage';
import { FileStore } from './store';
import { S3FileStore } from './s3-store';

export function openFileStorage(config: Pick<ServerConfig, 's3' | 'filesDir'>): FileStorage {
  return config.s3 ? new S3FileStore(config.s3) : new FileStore(config.filesDir);
}
