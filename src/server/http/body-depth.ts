/**
 * No record nests deeper than a few levels; refusing deep bodies up front
 * keeps recursive code (validation, comparison, serialisation) far from
 * stack limits.
 */
import fp from 'fastify-plugin';

const MAX_JSON_DEPTH = 32;

export const bodyDepthLimit = fp(async (app) => {
  app.addHook('preValidation', async (request, reply) => {
    if (
      request.body !== null &&
      typeof request.body === 'object' &&
      nestingDepth(request.body, MAX_JSON_DEPTH) > MAX_JSON_DEPTH
    ) {
      return reply.code(400).send({
        error: 'invalid_request',
        message: `The request body is nested more than ${MAX_JSON_DEPTH} levels deep.`,
      });
    }
  });
});

/** Depth of a parsed JSON value, counted without recursion; stops early once past `limit`. */
function nestingDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Object.values(v as Record<string, unknown>)) stack.push([child, depth + 1]);
  }
  return deepest;
}
