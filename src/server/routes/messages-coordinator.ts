/**
 * The coordinator's side of the follow-up round's messages, under
 * /api/v1/messages inside the coordinator guard (coordinator.ts): the state
 * of every message per participant and channel, pause and resume, reminder
 * days, publishing the round's results (feedback falls due), "remind now"
 * (at most once a day per participant) and a preview of each text.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as z from 'zod';
import { Id } from '../../shared/schemas/common';
import { MessageChannel, MessageLanguage, MessageState, WorkshopMessageSettings } from '../../shared/schemas/messages';
import { ApiError, errorResponses, sendError } from './errors';

const WorkshopParams = z.object({ id: Id });
const RemindNow = z.object({ participantId: Id, workshopId: Id });
const Preview = z.object({
  subject: z.string(),
  text: z.string(),
  html: z.string(),
  push: z.object({ title: z.string(), body: z.string() }),
  dir: z.enum(['ltr', 'rtl']),
});
const MessageList = z.object({ messages: z.array(MessageState), settings: WorkshopMessageSettings.nullable() });

export const messageCoordinatorRoutes: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const messages = app.vaka.messages;
  const security = [{ bearer: [] }];
  const workshopExists = async (id: string) =>
    Boolean(
      await app.vaka.db
        .selectFrom('records')
        .select('id')
        .where('collection', '=', 'workshops')
        .where('id', '=', id)
        .where('deleted', '=', 0)
        .executeTakeFirst(),
    );

  r.get(
    '/messages',
    {
      schema: {
        summary: 'Every follow-up message per participant and channel, with its state; a workshop’s settings',
        security,
        querystring: z.object({ workshopId: Id.optional() }),
        response: { 200: MessageList, ...errorResponses },
      },
    },
    async (request) => {
      const { workshopId } = request.query;
      return {
        messages: await messages.list(workshopId),
        settings: workshopId ? await messages.settings(workshopId) : null,
      };
    },
  );

  for (const action of ['pause', 'resume'] as const) {
    r.post(
      `/messages/workshops/:id/${action}`,
      {
        schema: {
          summary:
            action === 'pause' ? 'Pause a workshop’s follow-up messages' : 'Resume a workshop’s follow-up messages',
          security,
          params: WorkshopParams,
          response: { 200: WorkshopMessageSettings, ...errorResponses },
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        if (!(await workshopExists(id))) return sendError(reply, 404, 'not_found', 'No workshop with this id.');
        if (action === 'pause') await messages.pause(id, app.vaka.now());
        else await messages.resume(id);
        return messages.settings(id);
      },
    );
  }

  r.put(
    '/messages/workshops/:id/reminder-days',
    {
      schema: {
        summary: 'Set how many days before the due date reminders go out',
        security,
        params: WorkshopParams,
        body: z.object({ reminderDays: WorkshopMessageSettings.shape.reminderDays.unwrap() }),
        response: { 200: WorkshopMessageSettings, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      if (!(await workshopExists(id))) return sendError(reply, 404, 'not_found', 'No workshop with this id.');
      return messages.setReminderDays(id, request.body.reminderDays);
    },
  );

  r.post(
    '/messages/workshops/:id/publish-results',
    {
      schema: {
        summary: 'Publish the round’s results: feedback falls due for everyone on the roster',
        security,
        params: WorkshopParams,
        response: { 200: WorkshopMessageSettings, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      if (!(await workshopExists(id))) return sendError(reply, 404, 'not_found', 'No workshop with this id.');
      await messages.publishResults(id, app.vaka.now());
      return messages.settings(id);
    },
  );

  r.post(
    '/messages/remind-now',
    {
      schema: {
        summary: 'Remind one participant now, by every channel they have (at most once a day)',
        security,
        body: RemindNow,
        response: {
          202: z.object({ channels: z.array(MessageChannel) }),
          409: ApiError,
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { participantId, workshopId } = request.body;
      const outcome = await messages.remindNow(participantId, workshopId, app.vaka.now());
      switch (outcome.kind) {
        case 'queued':
          return reply.code(202).send({ channels: outcome.channels });
        case 'already-today':
          return sendError(reply, 429, 'already_reminded', 'This participant was already reminded in the last day.');
        case 'no-channel':
          return sendError(
            reply,
            409,
            'no_channel',
            'No channel reaches this participant: no e-mail address or e-mail off, and no phone with notifications.',
          );
        case 'not-found':
          return sendError(reply, 404, 'not_found', 'This participant is not on this workshop’s roster.');
      }
    },
  );

  r.get(
    '/messages/preview',
    {
      schema: {
        summary: 'A message as a participant would get it, with sample names and links',
        security,
        querystring: z.object({ kind: MessageState.shape.kind, lang: MessageLanguage }),
        response: { 200: Preview, ...errorResponses },
      },
    },
    async (request) => messages.preview(request.query.kind, request.query.lang),
  );
};
