/**
 * Operator commands for people and devices, on the same services as the
 * coordinator API (people/): coordinator accounts (no default password ever
 * exists), participants with a fresh enrolment code and link, listing and
 * revoking devices.
 */
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline/promises';
import * as z from 'zod';
import { Participant } from '../../shared/schemas/participant';
import { Id } from '../../shared/schemas/common';
import { isMemberCode } from '../../shared/domain/members';
import { MIN_PASSWORD_LENGTH, createCoordinator as createCoordinatorAccount } from '../people/coordinators';
import { PASSWORD_PROBLEMS, passwordProblem } from '../auth/passwords';
import { createParticipant as storeParticipant, liveWorkshops } from '../people/participants';
import { enrolmentLink } from '../people/enrolment-codes';
import { listDevices as devicesOf, revokeDevice as revoke } from '../people/devices';
import { UsageError, parseCommandArgs, type Command } from './command';

async function readPassword(): Promise<string> {
  if (process.env.VAKA_PASSWORD) return process.env.VAKA_PASSWORD;
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: false });
  process.stderr.write(`Password (at least ${MIN_PASSWORD_LENGTH} characters): `);
  for await (const line of rl) {
    rl.close();
    return line.trim();
  }
  return '';
}

export const createCoordinator: Command = {
  name: 'create-coordinator',
  synopsis: '--email E --name N',
  summary: 'Create a coordinator account.',
  help: [
    '  --email E   the sign-in address',
    '  --name N    the name shown in the workspace',
    `The password comes from VAKA_PASSWORD, or is read from stdin (at least ${MIN_PASSWORD_LENGTH} characters).`,
  ].join('\n'),
  async run(argv, ctx) {
    const { values } = parseCommandArgs(
      this.name,
      argv,
      { email: { type: 'string' }, name: { type: 'string' } },
      { names: [] },
    );
    const email = z.email().safeParse(values.email?.toLowerCase());
    if (!email.success || !values.name?.trim()) throw new UsageError('Give --email with a valid address and --name.');
    const password = await readPassword();
    const problem = passwordProblem(password, email.data);
    if (problem) throw new UsageError(PASSWORD_PROBLEMS[problem]);
    const { db } = await ctx.database();
    await createCoordinatorAccount(db, { email: email.data, name: values.name.trim(), password }, new Date());
    ctx.out(`Coordinator ${email.data} created.`);
    return 0;
  },
};

export const createParticipant: Command = {
  name: 'create-participant',
  synopsis: '--workshop ID --name N [--email E] [--administration CODE] [--position P] [--base-url URL]',
  summary: 'Put a new participant on workshop rosters and print their enrolment code and link.',
  help: [
    '  --workshop ID          a workshop id; repeat for several workshops',
    '  --name N               full name',
    '  --email E              e-mail address (optional)',
    '  --administration CODE  member administration, such as FJ; may be left out when every workshop',
    '                         given names exactly one administration',
    '  --position P           position or unit (optional)',
    '  --base-url URL         where participants open Vaka (default PUBLIC_URL, or http://localhost:PORT',
    '                         when PUBLIC_URL is unset)',
    'Prints the participant id, a single-use enrolment code (valid ENROLMENT_CODE_TTL_HOURS hours) and',
    'the enrolment link that carries it.',
  ].join('\n'),
  async run(argv, ctx) {
    const { values } = parseCommandArgs(
      this.name,
      argv,
      {
        workshop: { type: 'string', multiple: true },
        name: { type: 'string' },
        email: { type: 'string' },
        administration: { type: 'string' },
        position: { type: 'string' },
        'base-url': { type: 'string' },
      },
      { names: [] },
    );
    const workshopIds = [...new Set(values.workshop ?? [])];
    if (workshopIds.length === 0) throw new UsageError('Give --workshop with the id of a workshop.');
    const badId = workshopIds.find((w) => !Id.safeParse(w).success);
    if (badId) throw new UsageError(`--workshop ${badId} is not a workshop id (a UUID).`);
    if (!values.name?.trim()) throw new UsageError('Give --name with the participant’s full name.');
    const config = ctx.config();
    const baseUrl = z.url({ protocol: /^https?$/ }).safeParse(values['base-url'] ?? config.publicUrl);
    if (!baseUrl.success)
      throw new UsageError('--base-url must be an http(s) address such as https://vaka.example.org.');

    const database = await ctx.database();
    const workshops = await liveWorkshops(database.db, workshopIds);
    const missing = workshopIds.filter((id) => !workshops.some((w) => w.id === id));
    if (missing.length) {
      ctx.err(`No workshop with id ${missing.join(', ')}.`);
      return 1;
    }
    const implied = [...new Set(workshops.map((w) => (w.administrations.length === 1 ? w.administrations[0] : null)))];
    const memberCode = values.administration?.trim().toUpperCase() ?? (implied.length === 1 ? implied[0] : null);
    if (!memberCode)
      throw new UsageError('Give --administration with the participant’s member administration, such as FJ.');
    if (!isMemberCode(memberCode))
      throw new UsageError(`--administration ${memberCode} is not an Asia/Pacific member code such as FJ.`);
    const participant = Participant.safeParse({
      id: randomUUID(),
      fullName: values.name,
      email: values.email?.trim() || null,
      memberCode,
      position: values.position ?? '',
    });
    if (!participant.success)
      throw new UsageError(participant.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));

    const created = await storeParticipant(database.db, { participant: participant.data, workshopIds }, new Date(), {
      enrolmentCodeTtlHours: config.enrolmentCodeTtlHours,
    });
    if (created.kind === 'unknown_workshops') {
      ctx.err(`No workshop with id ${created.missing.join(', ')}.`);
      return 1;
    }
    const issued = created.code!;
    ctx.out(`Participant id: ${participant.data.id}`);
    ctx.out(`Enrolment code: ${issued.display} (single use, valid until ${issued.expiresAt})`);
    ctx.out(`Enrolment link: ${enrolmentLink(baseUrl.data, issued.code)}`);
    return 0;
  },
};

export const listDevices: Command = {
  name: 'list-devices',
  synopsis: '',
  summary: 'List enrolled devices with their participant and last contact.',
  help: 'Revoked devices are marked REVOKED.',
  async run(argv, ctx) {
    parseCommandArgs(this.name, argv, {}, { names: [] });
    const { db } = await ctx.database();
    const devices = await devicesOf(db);
    if (devices.length === 0) ctx.out('No device is enrolled.');
    for (const d of devices)
      ctx.out(
        `${d.id}  participant ${d.participantId}  "${d.name}"  last contact ${d.lastSeenAt ?? 'never'}${d.revokedAt ? '  REVOKED' : ''}`,
      );
    return 0;
  },
};

export const revokeDevice: Command = {
  name: 'revoke-device',
  synopsis: 'DEVICE_ID',
  summary: 'Revoke a device: it gets 401 and removes its participant’s data.',
  help: 'DEVICE_ID is an id from list-devices. A device revoked before keeps its first revocation time.',
  async run(argv, ctx) {
    const { positionals } = parseCommandArgs(this.name, argv, {}, { names: ['DEVICE_ID'] });
    const { db } = await ctx.database();
    const outcome = await revoke(db, positionals[0]!, new Date());
    if (outcome.kind === 'not_found') {
      ctx.err('No such device.');
      return 1;
    }
    ctx.out(`Device revoked (since ${outcome.revokedAt}).`);
    return 0;
  },
};
