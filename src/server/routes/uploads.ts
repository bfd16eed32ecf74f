/**
 * Resumable evidence uploads with the tus protocol (@tus/server) at
 * /api/v1/uploads: a cut upload resumes from the last byte the server has,
 * even after a server restart. The device declares the file's sha256 in the
 * upload metadata; when the last byte arrives the server checks it, then
 * moves the bytes into the content-addressed store. Only then may a record
 * name the file (see sync/apply.ts).
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { Server, EVENTS } from '@tus/server';
import { FileStore as TusFileStore } from '@tus/file-store';
import { resolveCaller } from '../auth/identity';
import { FileStore, registerFile } from '../files/store';
import { refuseMediaType, uploadFiletype } from '../media-types';

export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
const SHA256 = /^[0-9a-f]{64}$/;
const MEDIA_TYPE = /^[a-z]+\/[a-z0-9.+-]+$/;

class UploadRefused {
  constructor(
    readonly status_code: number,
    readonly body: string,
  ) {}
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export const uploadRoutes: FastifyPluginAsync = async (app) => {
  const store = new FileStore(app.vaka.config.filesDir);
  const directory = path.join(app.vaka.config.filesDir, '.uploads');
  fs.mkdirSync(directory, { recursive: true });
  const datastore = new TusFileStore({ directory });

  /** Whose upload this is: a participant's evidence, or a coordinator's material. */
  const participantOf = async (req: Request): Promise<string> => {
    const caller = await resolveCaller(
      app.vaka.db,
      req.headers.get('authorization') ?? undefined,
      app.vaka.now().toISOString(),
    );
    if (caller.kind === 'device') return caller.device.participantId;
    if (caller.kind === 'coordinator') return `coordinator:${caller.coordinatorId}`;
    if (caller.kind === 'invalid' && caller.reason === 'revoked')
      throw new UploadRefused(401, 'This device was revoked.');
    throw new UploadRefused(401, 'Enrol this device before uploading files.');
  };

  const tus = new Server({
    path: '/api/v1/uploads',
    datastore,
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
      return { metadata: { ...meta, participant } };
    },
    async onUploadFinish(_req, upload) {
      const file = path.join(directory, upload.id);
      const expected = upload.metadata?.sha256 ?? '';
      const actual = await sha256File(file);
      if (actual !== expected) {
        await fsp.rm(file, { force: true });
        await fsp.rm(`${file}.json`, { force: true });
        throw new UploadRefused(
          460,
          `The file's sha256 is ${actual}, not ${expected}: it was corrupted on the way. Upload it again.`,
        );
      }
      const { byteSize } = await store.importFile(file, expected);
      await registerFile(
        app.vaka.db,
        expected,
        byteSize,
        upload.metadata?.filetype ?? 'application/octet-stream',
        app.vaka.now().toISOString(),
      );
      return {};
    },
  });
  tus.on(EVENTS.POST_FINISH, (_req, _res, upload) => {
    // The bytes now live in the content-addressed store; drop the tus copy.
    void fsp.rm(path.join(directory, upload.id), { force: true });
    void fsp.rm(path.join(directory, `${upload.id}.json`), { force: true });
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
  app.all(
    '/uploads',
    { schema: { hide: true }, bodyLimit: MAX_UPLOAD_BYTES + 1024, preHandler: checkMediaType },
    handle,
  );
  app.all('/uploads/*', { schema: { hide: true }, bodyLimit: MAX_UPLOAD_BYTES + 1024 }, handle);
};
