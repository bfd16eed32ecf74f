/**
 * Resumable evidence uploads with the tus protocol (@tus/server) at
 * /api/v1/uploads: a cut upload resumes from the last byte the server has,
 * even after a server restart. The device declares the file's sha256 in the
 * upload metadata; when the last byte arrives the server checks it, then
 * moves the bytes into the content-addressed store. Only then may a record
 * name the file (see sync/apply.ts). Before that, upload-policy.ts decides:
 * the declared type against its purpose's allow-list and the uploader's
 * quota when the upload is created, the first bytes against the declared
 * type when the last byte has arrived.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import path from 'node:path';
import { Server, EVENTS } from '@tus/server';
import { resolveCaller } from '../auth/identity';
import { registerFile } from '../files/store';
import { Sha256Mismatch } from '../files/storage';
import { refuseMediaType, uploadFiletype } from '../media-types';
import { securityEvent } from '../security-log';
import {
  allowedFor,
  checkContent,
  quotaProblem,
  recordUsage,
  safeFileName,
  type UploadPurpose,
} from '../upload-policy';

export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
const SHA256 = /^[0-9a-f]{64}$/;
const MEDIA_TYPE = /^[a-z]+\/[a-z0-9.+-]+$/;

class UploadRefused {
  constructor(
    readonly status_code: number,
    readonly body: string,
  ) {}
}

export const uploadRoutes: FastifyPluginAsync = async (app) => {
  // Where unfinished uploads live (beside the files, on the disk or in the bucket), so any instance can resume one.
  const uploads = app.vaka.files.uploads;
  const datastore = uploads.datastore;

  /** Whose upload this is: a participant's evidence, or a coordinator's material. */
  const participantOf = async (req: Request): Promise<string> => {
    const caller = await resolveCaller(
      app.vaka.db,
      req.headers.get('authorization') ?? undefined,
      app.vaka.now().toISOString(),
      app.vaka.config.coordinatorIdleMinutes,
    );
    if (caller.kind === 'device') return caller.device.participantId;
    if (caller.kind === 'coordinator') return `coordinator:${caller.coordinatorId}`;
    if (caller.kind === 'invalid' && caller.reason === 'revoked')
      throw new UploadRefused(401, 'This device was revoked.');
    throw new UploadRefused(401, 'Enrol this device before uploading files.');
  };

  const purposeOf = (owner: string): UploadPurpose => (owner.startsWith('coordinator:') ? 'materials' : 'evidence');
  /** What the detector saw in a refused upload, for the security log line of its answer. */
  const refusedContent = new Map<string, string | null>();

  const tus = new Server({
    path: '/api/v1/uploads',
    datastore,
    locker: app.vaka.uploadLocker,
    maxSize: MAX_UPLOAD_BYTES,
    relativeLocation: true,
    // The app uploads from its own origin; tus would otherwise answer every origin with CORS `*`.
    allowedOrigins: () => false,
    respectForwardedHeaders: app.vaka.config.trustProxy,
    async onIncomingRequest(req, uploadId) {
      const participant = await participantOf(req);
      if (uploadId && req.method !== 'POST') {
        const upload = await datastore.getUpload(uploadId).catch(() => null);
        if (upload && upload.metadata?.participant !== participant) throw new UploadRefused(404, 'No such upload.');
      }
    },
    async onUploadCreate(req, upload) {
      const participant = await participantOf(req);
      const meta = upload.metadata ?? {};
      if (!meta.sha256 || !SHA256.test(meta.sha256))
        throw new UploadRefused(400, 'Upload-Metadata needs sha256: the lowercase hex SHA-256 of the file.');
      if (!meta.filetype || !MEDIA_TYPE.test(meta.filetype))
        throw new UploadRefused(400, 'Upload-Metadata needs filetype, e.g. image/jpeg.');
      if (upload.size === undefined)
        throw new UploadRefused(400, 'Declare the upload length up front (Upload-Length).');
      const purpose = purposeOf(participant);
      if (!allowedFor(purpose, meta.filetype))
        throw new UploadRefused(
          415,
          'This kind of file cannot be sent as evidence. Send a picture, a document, a sound or a video.',
        );
      const overQuota = await quotaProblem(app.vaka.db, participant, upload.size, app.vaka.config.uploadQuotaBytes);
      if (overQuota) throw new UploadRefused(413, overQuota);
      const name = safeFileName(meta.filename ?? meta.name ?? undefined);
      return { metadata: { ...meta, filename: name, participant, purpose } };
    },
    async onUploadFinish(_req, upload) {
      const expected = upload.metadata?.sha256 ?? '';
      const owner = upload.metadata?.participant ?? '';
      const declared = upload.metadata?.filetype ?? 'application/octet-stream';
      // The first bytes are checked before the file is adopted, so refused content never reaches the store.
      const content = await checkContent(await uploads.head(upload.id, 4100), declared, purposeOf(owner));
      if (!content.ok) {
        await uploads.discard(upload.id);
        refusedContent.set(upload.id, content.detected);
        throw new UploadRefused(415, content.message);
      }
      let byteSize: number;
      try {
        ({ byteSize } = await uploads.adopt(upload.id, expected));
      } catch (err) {
        if (!(err instanceof Sha256Mismatch)) throw err;
        await uploads.discard(upload.id);
        throw new UploadRefused(
          460,
          `The file's sha256 is ${err.actual}, not ${expected}: it was corrupted on the way. Upload it again.`,
        );
      }
      await registerFile(
        app.vaka.db,
        expected,
        byteSize,
        upload.metadata?.filetype ?? 'application/octet-stream',
        app.vaka.now().toISOString(),
      );
      await recordUsage(app.vaka.db, owner, expected, byteSize, app.vaka.now().toISOString());
      return {};
    },
  });
  tus.on(EVENTS.POST_FINISH, (_req, _res, upload) => {
    // The bytes now live in the content-addressed store; drop the tus copy.
    uploads.discard(upload.id).catch((err: unknown) => app.log.warn({ err }, 'uploads: could not drop a tus copy'));
  });

  // tus reads the body itself.
  app.addContentTypeParser('application/offset+octet-stream', (_request, _payload, done) => done(null));
  const handle = async (request: import('fastify').FastifyRequest, reply: import('fastify').FastifyReply) => {
    reply.hijack();
    await tus.handle(request.raw, reply.raw);
  };
  // Files are served from this origin: nothing a browser would render as a document may be uploaded
  // (ASVS 5.0 V3.2.1). Anonymous uploads are left to tus's own 401.
  const checkMediaType = async (request: FastifyRequest, reply: FastifyReply) => {
    const known = request.caller.kind === 'device' || request.caller.kind === 'coordinator';
    if (request.method !== 'POST' || !known) return;
    refuseMediaType(request, reply, uploadFiletype(request.headers['upload-metadata'] as string | undefined));
  };
  // Only the methods of the tus protocol (http/openapi.ts describes them); any other is the API's ordinary 404.
  app.route({
    method: ['POST', 'OPTIONS'],
    url: '/uploads',
    schema: { hide: true },
    bodyLimit: MAX_UPLOAD_BYTES + 1024,
    preHandler: checkMediaType,
    handler: handle,
  });
  app.route({
    method: ['HEAD', 'PATCH', 'DELETE', 'OPTIONS'],
    url: '/uploads/*',
    schema: { hide: true },
    bodyLimit: MAX_UPLOAD_BYTES + 1024,
    onResponse: async (request) => {
      const id = path.basename(request.url.split('?')[0] ?? '');
      if (!refusedContent.has(id)) return;
      const detected = refusedContent.get(id);
      refusedContent.delete(id);
      securityEvent(request, 'upload.refused', {
        status: 415,
        reason: 'content_mismatch',
        mediaType: (detected ?? 'unknown').slice(0, 100),
      });
    },
    handler: handle,
  });
};
