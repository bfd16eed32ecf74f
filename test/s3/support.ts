/**
 * The real S3 server and PostgreSQL the tests in this folder run against:
 * test/setup/radosgw.sh and test/setup/postgres.sh export their addresses.
 * `npm test` starts both and sets REQUIRE_S3=1 and REQUIRE_POSTGRES=1, so
 * these suites can never be skipped silently there; a developer's run
 * without them skips with a message.
 */
import { randomUUID } from 'node:crypto';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { s3ClientConfig, type S3Settings } from '../../src/server/files/s3-store';

export const s3Endpoint = process.env.S3_ENDPOINT;
if (!s3Endpoint && process.env.REQUIRE_S3 === '1') {
  throw new Error('REQUIRE_S3=1 but S3_ENDPOINT is not set: the S3 suite would be skipped.');
}
if (!s3Endpoint) {
  console.warn('S3_ENDPOINT not set: S3 tests are skipped (eval "$(test/setup/radosgw.sh start)" runs them).');
}

export const pgUrl = process.env.TEST_DATABASE_URL;
if (!pgUrl && process.env.REQUIRE_POSTGRES === '1') {
  throw new Error('REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set: the PostgreSQL suite would be skipped.');
}

/** A new empty bucket on the test server, and a way to empty and remove it. */
export async function freshBucket(): Promise<{ settings: S3Settings; drop: () => Promise<void> }> {
  const settings: S3Settings = {
    bucket: `vaka-test-${randomUUID().slice(0, 13)}`,
    endpoint: s3Endpoint,
    region: process.env.S3_REGION ?? 'us-east-1',
  };
  const client = new S3Client(s3ClientConfig(settings));
  await client.send(new CreateBucketCommand({ Bucket: settings.bucket }));
  return {
    settings,
    drop: async () => {
      const listed = await client.send(new ListObjectsV2Command({ Bucket: settings.bucket }));
      const keys = (listed.Contents ?? []).map((o) => ({ Key: o.Key! }));
      if (keys.length)
        await client.send(new DeleteObjectsCommand({ Bucket: settings.bucket, Delete: { Objects: keys } }));
      await client.send(new DeleteBucketCommand({ Bucket: settings.bucket }));
      client.destroy();
    },
  };
}
