/**
 * Coordinator routes for people and devices (services in people/): add
 * participants to workshop rosters, issue enrolment codes, list devices
 * with their last contact, and revoke a device.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { Participant } from '../../shared/schemas/participant';
import { Id } from '../../shared/schemas/common';
import { createParticipant } from '../people/participants';
import { enrolmentLink, issueEnrolmentCodeFor } from '../people/enrolment-codes';
import { listDevices, revokeDevice } from '../people/devices';
import { errorResponses, sendError } from './errors';

const NewParticipant = z.object({
  participant: Participant.extend({ id: Id.optional() }),
  workshopIds: z.array(Id).min(1, { error: 'Put the participant on at least one workshop roster.' }).max(100),
});

const DeviceRow = z.object({
  id: Id,
  participantId: Id,
  participantName: z.string().nullable(),
  name: z.string(),
  createdAt: z.string(),
  lastSeenAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  lastMid: z.number(),
});

export const rosterRoutes: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/participants',
    {
      schema: {
        summary: 'Create a participant and put them on workshop rosters',
        security: [{ bearer: [] }],
        body: NewParticipant,
        response: { 201: z.object({ id: Id }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { participant, workshopIds } = request.body;
      const created = await createParticipant(
        app.vaka.db,
        { participant: { ...participant, id: participant.id ?? randomUUID() }, workshopIds },
        app.vaka.now(),
      );
      if (created.kind === 'unknown_workshops')
        return sendError(reply, 400, 'unknown_workshop', `No workshop with id ${created.missing.join(', ')}.`);
      return reply.code(201).send({ id: created.id });
    },
  );

  r.post(
    '/participants/:id/enrolment-codes',
    {
      schema: {
        summary: 'Issue a single-use enrolment code for a participant',
        security: [{ bearer: [] }],
        params: z.object({ id: Id }),
        response: { 201: z.object({ code: z.string(), link: z.string(), expiresAt: z.string() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const issued = await issueEnrolmentCodeFor(
        app.vaka.db,
        request.params.id,
        app.vaka.config.enrolmentCodeTtlHours,
        app.vaka.now(),
      );
      if (!issued) return sendError(reply, 404, 'not_found', 'No participant with this id.');
      const link = enrolmentLink(`${request.protocol}://${request.host}`, issued.code);
      return reply.code(201).send({ code: issued.display, link, expiresAt: issued.expiresAt });
    },
  );

  r.get(
    '/devices',
    {
      schema: {
        summary: 'List enrolled devices with their last contact',
        security: [{ bearer: [] }],
        querystring: z.object({ participantId: Id.optional() }),
        response: { 200: z.object({ devices: z.array(DeviceRow) }), ...errorResponses },
      },
    },
    async (request) => ({ devices: await listDevices(app.vaka.db, { participantId: request.query.participantId }) }),
  );

  r.post(
    '/devices/:id/revoke',
    {
      schema: {
        summary: 'Revoke a device: it gets 401 and removes its participant data',
        security: [{ bearer: [] }],
        params: z.object({ id: Id }),
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const outcome = await revokeDevice(app.vaka.db, request.params.id, app.vaka.now());
      if (outcome.kind === 'not_found') return sendError(reply, 404, 'not_found', 'No device with this id.');
      return reply.code(204).send(null);
    },
  );
};
