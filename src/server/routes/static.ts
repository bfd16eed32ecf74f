/**
 * Serves the built PWA. Hashed assets are immutable for a year; index.html,
 * the service worker and the manifest are revalidated every time so an
 * update reaches devices on their next online visit. Unknown paths outside
 * /api get index.html so deep links work.
 */
import type { FastifyPluginAsync } from 'fastify';
import fastifyStatic from '@fastify/static';
import fs from 'node:fs';
import path from 'node:path';

const NO_CACHE = new Set(['/index.html', '/sw.js', '/manifest.webmanifest', '/registerSW.js']);

export const staticRoutes: FastifyPluginAsync = async (app) => {
  const dir = app.vaka.config.staticDir ? path.resolve(app.vaka.config.staticDir) : null;
  const hasBuild = dir !== null && fs.existsSync(path.join(dir, 'index.html'));
  if (hasBuild) {
    await app.register(fastifyStatic, {
      root: dir,
      wildcard: false,
      index: ['index.html'],
      setHeaders(res, filePath) {
        const rel = '/' + path.relative(dir, filePath).split(path.sep).join('/');
        if (rel.startsWith('/assets/')) res.header('cache-control', 'public, max-age=31536000, immutable');
        else if (NO_CACHE.has(rel) || rel.startsWith('/locales/')) res.header('cache-control', 'no-cache');
        else res.header('cache-control', 'public, max-age=3600');
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    const wantsPage =
      request.method === 'GET' && !request.url.startsWith('/api/') && !path.extname(request.url.split('?')[0] ?? '');
    if (hasBuild && wantsPage) {
      reply.header('cache-control', 'no-cache');
      return reply.sendFile('index.html');
    }
    return reply
      .code(404)
      .send({ error: 'not_found', message: `Nothing at ${request.method} ${request.url.split('?')[0]}.` });
  });
};
