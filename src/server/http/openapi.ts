/**
 * The OpenAPI document, built from the zod schemas every route declares and
 * served at /api/openapi.json. Registered before the routes so it sees them all.
 *
 * The document is the contract: test/server/harness.ts checks every answer the
 * server suites provoke against it, and test/server/openapi-lint.test.ts lints
 * it. What route schemas cannot say is completed here, once for all routes:
 * an operationId, a tag and an explicit `security` (anonymous `{}` where no
 * token is needed) on every operation; the answers Fastify itself sends
 * (413 body too large, 415 media type, 500); no body on 204 and 304. The file
 * download (binary bodies, ranges, conditional requests) and the tus upload
 * endpoint are not JSON routes, so their operations are written out below.
 */
import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { OpenAPIV3 } from 'openapi-types';

type Operation = OpenAPIV3.OperationObject;
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'] as const;

const TAGS: OpenAPIV3.TagObject[] = [
  { name: 'health', description: 'Whether the server and its database answer.' },
  { name: 'sync', description: 'The device sync protocol (docs/sync-protocol.md).' },
  { name: 'enrolment', description: 'A device enrols with a one-time code and gets its token.' },
  { name: 'auth', description: 'Coordinator sign-in, sessions and second factor.' },
  { name: 'files', description: 'Material and evidence files by content hash, and resumable uploads (tus).' },
  { name: 'people', description: 'Participants, rosters, enrolment codes and devices.' },
  { name: 'content', description: 'Workshops, agendas, materials and tool summaries, as coordinators edit them.' },
  { name: 'reports', description: 'The follow-up survey report and the raw responses.' },
  { name: 'messages', description: 'E-mail and push reminders, and their preferences.' },
];

/** The tag of an operation, from the first segment of its path after /api/v1. */
function tagOf(path: string): string {
  const segment = path.replace(/^\/api(\/v1)?\/?/, '').split('/')[0] ?? '';
  const bySegment: Record<string, string> = {
    '': 'health',
    health: 'health',
    sync: 'sync',
    enroll: 'enrolment',
    auth: 'auth',
    files: 'files',
    uploads: 'files',
    participants: 'people',
    devices: 'people',
    coordinator: 'content',
    workshops: 'content',
    'agenda-sessions': 'content',
    materials: 'content',
    'tool-summaries': 'content',
    reports: 'reports',
    messages: 'messages',
  };
  return bySegment[segment] ?? segment;
}

/** `GET /api/v1/coordinator/workshops/{id}` → `getCoordinatorWorkshopsById`. */
export function operationIdOf(method: string, path: string): string {
  const words = path
    .replace(/^\/api(\/v1)?/, '')
    .split(/[/-]/)
    .filter(Boolean)
    .map((w) => {
      const param = /^\{(.+)\}$/.exec(w)?.[1];
      const word = param ? `by-${param}` : w;
      return word
        .split(/[^A-Za-z0-9]+/)
        .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
        .join('');
    });
  return method + words.join('');
}

const ERROR_SCHEMA: OpenAPIV3.ReferenceObject = { $ref: '#/components/schemas/ApiError' };
const errorAnswer = (description: string): OpenAPIV3.ResponseObject => ({
  description,
  content: { 'application/json': { schema: ERROR_SCHEMA } },
});
const ANONYMOUS: OpenAPIV3.SecurityRequirementObject = {};
const BEARER: OpenAPIV3.SecurityRequirementObject = { bearer: [] };

const tusHeader = (description: string, schema: OpenAPIV3.SchemaObject = { type: 'string' }) => ({
  description,
  schema,
});
const TUS_RESUMABLE: OpenAPIV3.ParameterObject = {
  name: 'Tus-Resumable',
  in: 'header',
  required: true,
  schema: { type: 'string', enum: ['1.0.0'] },
  description: 'The tus protocol version.',
};
const UPLOAD_ID: OpenAPIV3.ParameterObject = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string' },
  description: 'The upload id from the Location of the creating POST.',
};
const tusText = (description: string): OpenAPIV3.ResponseObject => ({
  description,
  content: { 'text/plain': { schema: { type: 'string' } } },
});
/** tus answers its own errors as text, and Vaka's refusals (413 quota, 415 kind of file) as the API's JSON error. */
const tusRefusal = (description: string): OpenAPIV3.ResponseObject => ({
  description,
  content: { 'text/plain': { schema: { type: 'string' } }, 'application/json': { schema: ERROR_SCHEMA } },
});
const TUS_COMMON: OpenAPIV3.ResponsesObject = {
  400: tusRefusal(
    'A tus header is missing or malformed, the metadata lacks sha256 or filetype (text from tus), or the request ' +
      'body cannot be read (the API’s JSON error).',
  ),
  401: tusText('No valid device token or coordinator session.'),
  403: tusText('The request is not allowed.'),
  404: tusText('No such upload (or not yours).'),
  410: tusText('The upload has expired.'),
  412: tusText('Tus-Resumable names a version this server does not speak.'),
  500: tusText('The upload could not be stored.'),
};

/** Anyone may ask (it is also the CORS preflight); the answer carries no upload's data. */
const TUS_OPTIONS: Operation = {
  summary: 'What the tus server supports',
  parameters: [],
  responses: {
    204: {
      description: 'The supported tus version, extensions and largest upload.',
      headers: {
        'Tus-Version': tusHeader('1.0.0'),
        'Tus-Extension': tusHeader('creation, termination, …'),
        'Tus-Max-Size': tusHeader('Largest upload in bytes.', { type: 'integer' }),
      },
    },
  },
};

/** The tus endpoint (tus 1.0.0 core, creation and termination extensions), answered by @tus/server. */
const UPLOAD_PATHS: OpenAPIV3.PathsObject = {
  '/api/v1/uploads': {
    post: {
      summary: 'Create a resumable upload (tus creation)',
      security: [BEARER],
      description:
        'Upload-Metadata carries `sha256` (lowercase hex of the whole file), `filetype` and `filename`, each ' +
        'base64-encoded. The answer’s Location is where the bytes go with PATCH.',
      parameters: [
        TUS_RESUMABLE,
        { name: 'Upload-Length', in: 'header', required: true, schema: { type: 'integer', minimum: 0 } },
        { name: 'Upload-Metadata', in: 'header', required: true, schema: { type: 'string' } },
      ],
      responses: {
        201: {
          description: 'Created; PATCH the bytes to Location.',
          headers: { Location: tusHeader('The upload’s address.'), 'Tus-Resumable': tusHeader('1.0.0') },
        },
        ...TUS_COMMON,
        413: tusRefusal('Larger than the largest upload, or over the participant’s quota.'),
        415: tusRefusal('This kind of file cannot be uploaded.'),
      },
    },
    options: TUS_OPTIONS,
  },
  '/api/v1/uploads/{id}': {
    options: { ...TUS_OPTIONS, parameters: [UPLOAD_ID] },
    head: {
      summary: 'How many bytes of an upload the server has (resume from there)',
      security: [BEARER],
      parameters: [UPLOAD_ID, TUS_RESUMABLE],
      responses: {
        200: {
          description: 'Upload-Offset says where to resume.',
          headers: {
            'Upload-Offset': tusHeader('Bytes received.', { type: 'integer' }),
            'Upload-Length': tusHeader('Bytes in all.', { type: 'integer' }),
          },
        },
        ...TUS_COMMON,
      },
    },
    patch: {
      summary: 'Send bytes of an upload from Upload-Offset',
      security: [BEARER],
      description:
        'When the last byte arrives the file is checked against its sha256 (460 when it differs: upload it ' +
        'again) and its content against its declared type (415), then stored by its hash.',
      parameters: [
        UPLOAD_ID,
        TUS_RESUMABLE,
        { name: 'Upload-Offset', in: 'header', required: true, schema: { type: 'integer', minimum: 0 } },
      ],
      requestBody: {
        required: true,
        content: { 'application/offset+octet-stream': { schema: { type: 'string', format: 'binary' } } },
      },
      responses: {
        204: {
          description: 'Bytes stored.',
          headers: { 'Upload-Offset': tusHeader('Bytes received.', { type: 'integer' }) },
        },
        ...TUS_COMMON,
        409: tusText('Upload-Offset is not where the upload stands.'),
        413: tusRefusal('More bytes than the declared Upload-Length.'),
        415: tusRefusal('The content is not what its declared type says, or the body is not offset+octet-stream.'),
        460: tusText('The file’s sha256 differs from the declared one: it was corrupted on the way.'),
      },
    },
    delete: {
      summary: 'Abandon an upload (tus termination)',
      security: [BEARER],
      parameters: [UPLOAD_ID, TUS_RESUMABLE],
      responses: { 204: { description: 'Removed.' }, ...TUS_COMMON },
    },
  },
};

const FILE_OPERATION: Operation = {
  summary: 'Download a material or evidence file by its sha256 (supports Range and If-None-Match)',
  description:
    'Public materials need no token; a participants-only material needs the token of a device on its ' +
    'workshop’s roster (401 without one, 403 with another) or a coordinator session. The ETag is the quoted ' +
    'sha256 and never changes.',
  parameters: [
    {
      name: 'sha256',
      in: 'path',
      required: true,
      schema: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    },
    { name: 'Range', in: 'header', required: false, schema: { type: 'string', example: 'bytes=0-1023' } },
    { name: 'If-Range', in: 'header', required: false, schema: { type: 'string' } },
    { name: 'If-None-Match', in: 'header', required: false, schema: { type: 'string' } },
  ],
  responses: {
    200: {
      description: 'The whole file, in its own media type.',
      headers: { ETag: tusHeader('The quoted sha256.'), 'Accept-Ranges': tusHeader('bytes') },
      content: { '*/*': { schema: { type: 'string', format: 'binary' } } },
    },
    206: {
      description: 'The requested byte range.',
      headers: { 'Content-Range': tusHeader('bytes START-END/SIZE'), ETag: tusHeader('The quoted sha256.') },
      content: { '*/*': { schema: { type: 'string', format: 'binary' } } },
    },
    304: { description: 'Not modified: the ETag in If-None-Match is this file’s.' },
    400: errorAnswer('The sha256 is not 64 lowercase hex digits.'),
    401: errorAnswer('A participants-only file asked for without a token, or with a revoked or unknown one.'),
    403: errorAnswer('A participants-only file asked for by a device not on its workshop’s roster.'),
    404: errorAnswer('No file with this sha256.'),
    416: {
      description: 'The range is outside the file; Content-Range says its size.',
      headers: { 'Content-Range': tusHeader('bytes */SIZE') },
      content: { 'application/json': { schema: ERROR_SCHEMA } },
    },
  },
};

/** Security of the routes that declare none: who may call them without a token. */
const SECURITY: Record<string, OpenAPIV3.SecurityRequirementObject[]> = {
  'get /api/health': [ANONYMOUS],
  'post /api/v1/enroll': [ANONYMOUS],
  'post /api/v1/auth/login': [ANONYMOUS],
  'post /api/v1/auth/logout': [BEARER, ANONYMOUS],
  'get /api/v1/files/{sha256}': [BEARER, ANONYMOUS],
};

function completeOperation(method: string, path: string, op: Operation): void {
  op.operationId ??= operationIdOf(method, path);
  op.tags ??= [tagOf(path)];
  op.security ??= SECURITY[`${method} ${path}`] ?? [ANONYMOUS];
  const responses = op.responses;
  for (const [status, answer] of Object.entries(responses)) {
    // No body on these, whatever a `z.null()` schema made of them.
    if ((status === '204' || status === '304') && !('$ref' in answer)) delete answer.content;
    if (!('$ref' in answer) && answer.description === 'Default Response')
      answer.description = status.startsWith('2') ? 'Done.' : 'Refused; `message` says why.';
  }
  // Fastify reads a body sent with any method, even where the operation takes none: a body too large, in another
  // media type or not parseable is refused before the route runs.
  responses['400'] ??= errorAnswer('The request body cannot be read, or a field is not valid; `issues` says which.');
  responses['413'] ??= errorAnswer('The request body is larger than this operation accepts.');
  responses['415'] ??= errorAnswer('The request body is not in a media type this operation accepts.');
  responses['500'] ??= errorAnswer('Something went wrong on the server; nothing was changed.');
}

/** Completes the generated document; exported for the document's own tests. */
export function completeDocument(doc: OpenAPIV3.Document, serverUrl: string): OpenAPIV3.Document {
  doc.servers = [{ url: serverUrl, description: 'This server (PUBLIC_URL)' }];
  doc.tags = TAGS;
  doc.components ??= {};
  doc.components.schemas = {
    ...doc.components.schemas,
    ApiError: {
      type: 'object',
      required: ['error', 'message'],
      properties: {
        error: { type: 'string', description: 'A stable code such as not_found or invalid_request.' },
        message: { type: 'string', description: 'A sentence a person can act on.' },
        issues: {
          type: 'array',
          items: {
            type: 'object',
            required: ['path', 'message'],
            properties: { path: { type: 'string' }, message: { type: 'string' } },
          },
        },
      },
    },
  };
  doc.paths = { ...doc.paths, ...UPLOAD_PATHS };
  const files = doc.paths['/api/v1/files/{sha256}'];
  if (files?.get) files.get = { ...FILE_OPERATION, operationId: files.get.operationId, tags: files.get.tags };
  for (const [path, item] of Object.entries(doc.paths))
    for (const method of METHODS) {
      const op = item?.[method];
      if (op) completeOperation(method, path, op);
    }
  return doc;
}

export const openApi = fp(async (app) => {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Vaka API',
        version: '1.0.0',
        description: 'Sync, enrolment and content API of Vaka, the offline-first companion for WCO A/P workshops.',
        // No licence has been granted for Vaka yet; the document says so rather than guess one.
        license: { name: 'No licence granted (all rights reserved)' },
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'Device token or coordinator session token' },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: (documentObject) =>
      'openapiObject' in documentObject
        ? completeDocument(documentObject.openapiObject as OpenAPIV3.Document, app.vaka.config.publicUrl)
        : documentObject.swaggerObject,
  });
});

/** GET /api/openapi.json, hidden from the document it serves. */
export const openApiRoute = fp(async (app) => {
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
});
