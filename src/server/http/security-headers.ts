/**
 * Response headers: helmet's page policy (a strict CSP, no framing, no
 * referrer) for the PWA, a short policy for JSON answers (about 560 bytes
 * less a sync, paid per megabyte by our users), and HSTS only where TLS is
 * really in front of us.
 */
import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';

const API_HEADERS = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], baseUri: ["'none'"], frameAncestors: ["'none'"] },
  },
  crossOriginOpenerPolicy: false,
  originAgentCluster: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xFrameOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
} as const;

export const securityHeaders = fp(async (app) => {
  // API routes get a short policy that still forbids framing, sniffing and referrers.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/') && route.helmet === undefined) route.helmet = API_HEADERS;
  });
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        workerSrc: ["'self'"],
        manifestSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    // HSTS only where TLS is really in front of us; see the onRequest hook below.
    hsts: false,
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
    crossOriginEmbedderPolicy: false,
  });
  // On the raw response, like helmet's own headers, so answers the tus server writes itself carry it too.
  app.addHook('onRequest', async (request, reply) => {
    if (request.protocol === 'https')
      reply.raw.setHeader('strict-transport-security', 'max-age=31536000; includeSubDomains');
  });
});
