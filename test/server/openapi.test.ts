/**
 * The published OpenAPI document, as a client generator and a linter see
 * it: Redocly's recommended rules report no error; every operation has a
 * unique operationId, a declared tag and an explicit `security` (anonymous
 * `{}` where no token is needed); 204 and 304 have no body; the file
 * download lists every status it answers; the tus upload endpoint is
 * described; `servers` and the licence are set. That every answer the server
 * suites provoke matches the document is checked by the harness
 * (openapi-contract.ts).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenAPIV3 } from 'openapi-types';
import { startTestServer, type TestServer } from './harness';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'] as const;

describe('the OpenAPI document', () => {
  let s: TestServer;
  let doc: OpenAPIV3.Document;
  const operations: { method: string; path: string; op: OpenAPIV3.OperationObject }[] = [];

  beforeAll(async () => {
    s = await startTestServer('sqlite', { PUBLIC_URL: 'https://vaka.example.org' });
    doc = (await s.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as OpenAPIV3.Document;
    for (const [p, item] of Object.entries(doc.paths))
      for (const method of METHODS) if (item?.[method]) operations.push({ method, path: p, op: item[method]! });
  }, 120_000);
  afterAll(async () => {
    await s.close();
  });

  it('passes the Redocly linter with no error', async () => {
    const file = path.join(s.config.filesDir, '..', 'openapi.json');
    fs.writeFileSync(file, JSON.stringify(doc));
    const { DATABASE_URL: _pg, ...env } = process.env;
    const result = await new Promise<{ code: number; output: string }>((resolve) =>
      execFile(
        path.resolve('node_modules/.bin/redocly'),
        ['lint', file, '--format=stylish'],
        { env: { ...env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr }),
      ),
    );
    expect(result.output).toMatch(/Your API description is valid/);
    expect(result.output).not.toMatch(/\berror\b/);
    expect(result.code, result.output).toBe(0);
  }, 180_000);

  it('gives every operation a unique operationId, a declared tag and an explicit security', () => {
    const ids = operations.map((o) => o.op.operationId);
    expect(ids.every(Boolean)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    const tags = new Set((doc.tags ?? []).map((t) => t.name));
    for (const { method, path: p, op } of operations) {
      expect(op.tags?.length, `${method} ${p}`).toBeGreaterThan(0);
      for (const t of op.tags!) expect(tags.has(t), `${method} ${p}: tag ${t}`).toBe(true);
      expect(op.security, `${method} ${p}`).toBeDefined();
    }
    const security = (method: string, p: string) =>
      operations.find((o) => o.method === method && o.path === p)!.op.security;
    expect(security('get', '/api/health')).toEqual([{}]);
    expect(security('post', '/api/v1/enroll')).toEqual([{}]);
    expect(security('get', '/api/v1/files/{sha256}')).toEqual([{ bearer: [] }, {}]);
    expect(security('get', '/api/v1/devices')).toEqual([{ bearer: [] }]);
  });

  it('documents no body on 204 and 304, and 413 and 415 wherever a body is sent', () => {
    for (const { method, path: p, op } of operations) {
      for (const status of ['204', '304']) {
        const answer = op.responses[status] as OpenAPIV3.ResponseObject | undefined;
        if (answer) expect(answer.content, `${method} ${p} ${status}`).toBeUndefined();
      }
      if (op.requestBody)
        expect(Object.keys(op.responses), `${method} ${p}`).toEqual(expect.arrayContaining(['413', '415']));
    }
  });

  it('describes the file download with every status it answers, and the tus upload endpoint', () => {
    const files = doc.paths['/api/v1/files/{sha256}']!.get!;
    expect(Object.keys(files.responses).sort()).toEqual([
      '200',
      '206',
      '304',
      '400',
      '401',
      '403',
      '404',
      // A body sent even with a GET is read, so it too can be too large or of an unknown type.
      '413',
      '415',
      '416',
      '500',
    ]);
    expect(Object.keys((files.responses['206'] as OpenAPIV3.ResponseObject).headers!)).toContain('Content-Range');
    expect(files.parameters!.map((p) => (p as OpenAPIV3.ParameterObject).name)).toEqual(
      expect.arrayContaining(['Range', 'If-None-Match']),
    );
    expect(Object.keys(doc.paths['/api/v1/uploads']!)).toEqual(expect.arrayContaining(['post', 'options']));
    expect(Object.keys(doc.paths['/api/v1/uploads/{id}']!)).toEqual(
      expect.arrayContaining(['head', 'patch', 'delete']),
    );
    const patch = doc.paths['/api/v1/uploads/{id}']!.patch!;
    expect(Object.keys(patch.requestBody && 'content' in patch.requestBody ? patch.requestBody.content : {})).toEqual([
      'application/offset+octet-stream',
    ]);
    expect(patch.parameters!.map((p) => (p as OpenAPIV3.ParameterObject).name)).toEqual(
      expect.arrayContaining(['Tus-Resumable', 'Upload-Offset']),
    );
  });

  it('names its server (PUBLIC_URL) and its licence', () => {
    expect(doc.servers).toEqual([{ url: 'https://vaka.example.org', description: expect.any(String) }]);
    expect(doc.info.license?.name).toBeTruthy();
  });
});
