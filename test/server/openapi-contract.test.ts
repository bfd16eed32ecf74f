/**
 * The contract check itself must be able to fail: an answer with a status
 * the document does not list, a JSON body its schema refuses and a body in
 * an undeclared media type are each reported, and a documented answer is not.
 */
import path from 'node:path';
import os from 'node:os';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { FastifyReply } from 'fastify';
import { buildApp } from '../../src/server/app';
import { loadConfig } from '../../src/server/config';
import { openDatabase } from '../../src/server/db/connection';
import { recordAnswers } from './openapi-contract';

describe('the contract check of answers against the OpenAPI document', () => {
  it('reports undocumented statuses, bodies and media types, and passes documented answers', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vaka-contract-'));
    const database = await openDatabase({ kind: 'sqlite', path: ':memory:' });
    const app = await buildApp({
      database,
      config: {
        ...loadConfig({ STATIC_DIR: path.join(dir, 'none'), LOG_LEVEL: 'silent' }),
        database: { kind: 'sqlite', path: ':memory:' },
        filesDir: path.join(dir, 'files'),
      },
    });
    const Body = z.object({ n: z.number().int() });
    // The probe sends what its schema does not allow, on purpose: its reply is typed loosely.
    app
      .withTypeProvider<ZodTypeProvider>()
      .get(
        '/api/v1/contract-probe/:case',
        { schema: { params: z.object({ case: z.string() }), response: { 200: Body } } },
        async (request, typed) => {
          const reply = typed as unknown as FastifyReply;
          switch (request.params.case) {
            case 'ok':
              return { n: 1 };
            case 'teapot':
              return reply.code(418).send({ error: 'teapot', message: 'Short and stout.' });
            case 'text':
              return reply.code(200).type('text/plain').serializer(String).send('one');
            default:
              return reply.code(200).type('application/json').serializer(JSON.stringify).send({ n: 'one' });
          }
        },
      );
    const contract = recordAnswers(app);
    await app.ready();
    try {
      for (const c of ['ok', 'teapot', 'text', 'wrong-body'])
        await app.inject({ method: 'GET', url: `/api/v1/contract-probe/${c}` });
      const problems = await contract.check();
      expect(problems.some((p) => p.includes('/ok '))).toBe(false);
      expect(problems).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/teapot → 418: status 418 is not documented/),
          expect.stringMatching(/text → 200: answered text\/plain, documented application\/json/),
          expect.stringMatching(/wrong-body → 200: body does not match the documented schema: \/n must be integer/),
        ]),
      );
      expect(problems).toHaveLength(3);
    } finally {
      await app.close();
      await database.close();
      // @tus/file-store creates its folder with a callback that throws if the folder vanished first.
      await new Promise((r) => setTimeout(r, 50));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
