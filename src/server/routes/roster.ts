/**
 * Coordinator routes for people and devices: add participants to workshop
 * rosters, issue enrolment codes, list devices with their last contact, and
 * revoke a device.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { Participant } from '../../shared/schemas/participant';
import { Id } from '../../shared/schemas/common';
import { enrolmentLink, issueEnrolmentCode } from '../auth/enrolment-codes';
import { putRecord } from '../sync/publish';
import { errorResponses, requireCoordinator, sendError } from './errors';

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
      if (!requireCoordinator(reply, request.caller)) return reply;
      const { participant, workshopIds } = request.body;
      const id = participant.id ?? randomUUID();
      const now = app.vaka.now().toISOString();
      const known = await app.vaka.db
        .selectFrom('records')
        .select('id')
        .where('collection', '=', 'workshops')
        .where('id', 'in', workshopIds)
        .where('deleted', '=', 0)
        .execute();
      const missing = workshopIds.filter((w) => !known.some((k) => k.id === w));
      if (missing.length)
        return sendError(reply, 400, 'unknown_workshop', `No workshop with id ${missing.join(', ')}.`);
      await app.vaka.db.transaction().execute(async (trx) => {
        await putRecord(trx, 'participants', { ...participant, id }, now);
        for (const w of workshopIds) {
          await trx
            .insertInto('roster')
            .values({ workshop_id: w, participant_id: id })
            .onConflict((oc) => oc.columns(['workshop_id', 'participant_id']).doNothing())
            .execute();
        }
      });
      return reply.code(201).send({ id });
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
      if (!requireCoordinator(reply, request.caller)) return reply;
      const participant = await app.vaka.db
        .selectFrom('records')
        .select('id')
        .where('id', '=', request.params.id)
        .where('collection', '=', 'participants')
        .executeTakeFirst();
      if (!participant) return sendError(reply, 404, 'not_found', 'No participant with this id.');
      const issued = await issueEnrolmentCode(
        app.vaka.db,
        request.params.id,
        app.vaka.config.enrolmentCodeTtlHours,
        app.vaka.now(),
      );
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
    async (request, reply) => {
      if (!requireCoordinator(reply, request.caller)) return reply;
      let q = app.vaka.db
        .selectFrom('devices')
        .leftJoin('records', 'records.id', 'devices.participant_id')
        .select([
          'devices.id',
          'devices.participant_id',
          'devices.name',
          'devices.created_at',
          'devices.last_seen_at',
          'devices.revoked_at',
          'devices.last_mid',
          'records.data',
        ])
        .orderBy('devices.created_at');
      if (request.query.participantId) q = q.where('devices.participant_id', '=', request.query.participantId);
      const rows = await q.execute();
      return {
        devices: rows.map((d) => ({
          id: d.id,
          participantId: d.participant_id,
          participantName: d.data ? String((JSON.parse(d.data) as { fullName?: string }).fullName ?? '') : null,
          name: d.name,
          createdAt: d.created_at,
          lastSeenAt: d.last_seen_at,
          revokedAt: d.revoked_at,
          lastMid: Number(d.last_mid),
        })),
      };
    },
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
      if (!requireCoordinator(reply, request.caller)) return reply;
      const res = await app.vaka.db
        .updateTable('devices')
        .set({ revoked_at: app.vaka.now().toISOString() })
        .where('id', '=', request.params.id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) === 0) {
        const exists = await app.vaka.db
          .selectFrom('devices')
          .select('id')
          .where('id', '=', request.params.id)
          .executeTakeFirst();
        if (!exists) return sendError(reply, 404, 'not_found', 'No device with this id.');
      }
      return reply.code(204).send(null);
    },
  );
};
