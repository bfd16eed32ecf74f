/**
 * The OpenAPI document is the contract: every answer a server suite
 * provokes is recorded (method, route, status, content type, body) and,
 * when the suite closes its server, checked against the document the same
 * server publishes. An answer whose status the operation does not list, a
 * body in a media type it does not declare, a body on 204/304, or a JSON
 * body its schema refuses fails the suite that provoked it, so an
 * undocumented answer fails CI. Bodies are validated with Ajv after turning
 * the OpenAPI 3.0 dialect (nullable, boolean exclusiveMinimum) into JSON
 * Schema.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import type { OpenAPIV3 } from 'openapi-types';

interface Answer {
  method: string;
  /** The route pattern as Fastify knows it: /api/v1/files/:sha256. */
  route: string;
  url: string;
  status: number;
  contentType: string | null;
  body: string | null;
}

type Schema = Record<string, unknown>;

/** OpenAPI 3.0 schema → JSON Schema (draft 7) as Ajv reads it. */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const out: Schema = {};
  for (const [key, value] of Object.entries(node as Schema)) {
    if (key === 'nullable' || key === 'example' || key === 'xml' || key === 'externalDocs') continue;
    if (key === '$ref' && typeof value === 'string') {
      out.$ref = value.replace('#/components/schemas/', 'openapi#/components/schemas/');
      continue;
    }
    out[key] = toJsonSchema(value);
  }
  const source = node as Schema;
  if (source.exclusiveMinimum === true) {
    out.exclusiveMinimum = source.minimum;
    delete out.minimum;
  } else if (source.exclusiveMinimum === false) delete out.exclusiveMinimum;
  if (source.exclusiveMaximum === true) {
    out.exclusiveMaximum = source.maximum;
    delete out.maximum;
  } else if (source.exclusiveMaximum === false) delete out.exclusiveMaximum;
  if (source.nullable === true) {
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...(out.enum as unknown[]), null];
    return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

/** Fastify's /files/:sha256 and /uploads/* as the document writes them. */
function documentPath(route: string): string {
  return route.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/\/\*$/, '/{id}');
}

const mediaType = (contentType: string) => contentType.split(';')[0]!.trim().toLowerCase();

function matchesMediaType(declared: string, actual: string): boolean {
  if (declared === '*/*') return true;
  if (declared.endsWith('/*')) return actual.startsWith(declared.slice(0, -1));
  return declared === actual;
}

/** Starts recording every answer of this app; call before app.ready(). */
export function recordAnswers(app: FastifyInstance): { check(): Promise<string[]> } {
  const answers: Answer[] = [];
  const bodies = new WeakMap<object, string | null>();
  app.addHook('onSend', async (request, _reply, payload) => {
    bodies.set(request, typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString() : null);
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url;
    if (!route || !route.startsWith('/api/')) return;
    const header = reply.getHeader('content-type') ?? reply.raw.getHeader('content-type');
    answers.push({
      method: request.method.toLowerCase(),
      route,
      url: request.url,
      status: reply.statusCode,
      contentType: header === undefined ? null : String(header),
      // Fastify sends no body with 204 and 304, whatever the handler passed to send().
      body: reply.statusCode === 204 || reply.statusCode === 304 ? null : (bodies.get(request) ?? null),
    });
  });

  return {
    async check() {
      const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as OpenAPIV3.Document;
      const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
      addFormats(ajv);
      ajv.addSchema({ components: toJsonSchema(doc.components ?? {}) }, 'openapi');
      const validators = new Map<string, ValidateFunction>();
      const problems = new Set<string>();
      for (const a of answers) {
        if (a.route === '/api/openapi.json') continue;
        const where = `${a.method.toUpperCase()} ${a.url} → ${a.status}`;
        const path = documentPath(a.route);
        const item = doc.paths[path] as Record<string, OpenAPIV3.OperationObject> | undefined;
        // HEAD is answered by the GET route unless the document describes its own (tus).
        const op = item?.[a.method] ?? (a.method === 'head' ? item?.get : undefined);
        if (!op) {
          problems.add(`${where}: no operation ${a.method.toUpperCase()} ${path} in the document`);
          continue;
        }
        const response = (op.responses[String(a.status)] ?? op.responses.default) as
          OpenAPIV3.ResponseObject | undefined;
        if (!response) {
          problems.add(`${where}: status ${a.status} is not documented for ${a.method.toUpperCase()} ${path}`);
          continue;
        }
        const hasBody = a.body !== null && a.body !== '';
        if (!response.content) {
          if (hasBody) problems.add(`${where}: documented without a body, but answered one`);
          continue;
        }
        if (!hasBody || a.method === 'head') continue;
        const actual = mediaType(a.contentType ?? '');
        const declared = Object.keys(response.content).find((m) => matchesMediaType(m, actual));
        if (!declared) {
          problems.add(
            `${where}: answered ${actual || 'no content type'}, documented ${Object.keys(response.content).join(', ')}`,
          );
          continue;
        }
        const schema = response.content[declared]!.schema;
        if (!schema || actual !== 'application/json') continue;
        const key = `${path} ${a.method} ${a.status} ${declared}`;
        let validate = validators.get(key);
        if (!validate) {
          validate = ajv.compile(toJsonSchema(schema) as Schema);
          validators.set(key, validate);
        }
        if (!validate(JSON.parse(a.body!))) {
          const errors = (validate.errors ?? []).slice(0, 3).map((e) => `${e.instancePath || '(body)'} ${e.message}`);
          problems.add(`${where}: body does not match the documented schema: ${errors.join('; ')}`);
        }
      }
      return [...problems];
    },
  };
}
