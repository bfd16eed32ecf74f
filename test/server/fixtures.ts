/** Small builders for server tests: a workshop, a coordinator session, enrolled devices, sync calls. */
import { randomUUID } from 'node:crypto';
import type { TestServer } from './harness';
import { hashPassword } from '../../src/server/auth/tokens';
import { putRecord } from '../../src/server/sync/publish';
import { PROTOCOL_VERSION, SyncResponse, type Mutation, type SyncRequest } from '../../src/shared/sync/protocol';

export async function addWorkshop(s: TestServer, overrides: Record<string, unknown> = {}): Promise<string> {
  const id = randomUUID();
  await putRecord(
    s.database.db,
    'workshops',
    {
      id,
      title: 'WCO Sub-regional Workshop on Data Analytics for Pacific Islands',
      kind: 'sub-regional',
      topic: 'Data analytics',
      startDate: '2022-06-14',
      endDate: '2022-06-16',
      timeZone: 'Pacific/Fiji',
      mode: 'hybrid',
      venue: { city: 'Nadi', country: 'Fiji' },
      organisers: ['WCO', 'ROCB A/P'],
      ...overrides,
    },
    new Date().toISOString(),
  );
  return id;
}

export async function coordinatorToken(s: TestServer): Promise<string> {
  const email = `c-${randomUUID().slice(0, 8)}@example.org`;
  await s.database.db
    .insertInto('coordinators')
    .values({
      id: randomUUID(),
      email,
      name: 'Test Coordinator',
      password_hash: await hashPassword('correct horse'),
      created_at: new Date().toISOString(),
      disabled_at: null,
    })
    .execute();
  const res = await s.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password: 'correct horse' },
  });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.body}`);
  return (res.json() as { token: string }).token;
}

export async function addParticipant(
  s: TestServer,
  coordinator: string,
  workshopIds: string[],
  memberCode = 'FJ',
): Promise<string> {
  const res = await s.app.inject({
    method: 'POST',
    url: '/api/v1/participants',
    headers: { authorization: `Bearer ${coordinator}` },
    payload: { participant: { fullName: 'Test Participant', memberCode, email: null }, workshopIds },
  });
  if (res.statusCode !== 201) throw new Error(`participant failed: ${res.body}`);
  return (res.json() as { id: string }).id;
}

export async function issueCode(s: TestServer, coordinator: string, participantId: string): Promise<string> {
  const res = await s.app.inject({
    method: 'POST',
    url: `/api/v1/participants/${participantId}/enrolment-codes`,
    headers: { authorization: `Bearer ${coordinator}` },
  });
  if (res.statusCode !== 201) throw new Error(`code failed: ${res.body}`);
  return (res.json() as { code: string }).code;
}

export interface TestDevice {
  deviceId: string;
  token: string;
  participantId: string;
}

export async function enrol(s: TestServer, code: string): Promise<TestDevice> {
  const res = await s.app.inject({
    method: 'POST',
    url: '/api/v1/enroll',
    payload: { code, deviceName: 'test phone' },
  });
  if (res.statusCode !== 200) throw new Error(`enrol failed: ${res.body}`);
  const body = res.json() as { deviceId: string; deviceToken: string; participantId: string };
  return { deviceId: body.deviceId, token: body.deviceToken, participantId: body.participantId };
}

/** A workshop, a coordinator and one enrolled participant device. */
export async function world(s: TestServer) {
  const workshopId = await addWorkshop(s);
  const coordinator = await coordinatorToken(s);
  const participantId = await addParticipant(s, coordinator, [workshopId]);
  const device = await enrol(s, await issueCode(s, coordinator, participantId));
  return { workshopId, coordinator, participantId, device };
}

export async function sync(
  s: TestServer,
  token: string | null,
  body: Partial<SyncRequest> & { mutations?: Mutation[] },
): Promise<{ status: number; body: SyncResponse; raw: string }> {
  const res = await s.app.inject({
    method: 'POST',
    url: '/api/v1/sync',
    headers: token ? { authorization: `Bearer ${token}` } : {},
    payload: { protocol: PROTOCOL_VERSION, epoch: null, cursors: {}, mutations: [], ...body },
  });
  // Protocol 2 leaves out empty fields; parsing fills them in as a device would.
  const parsed = res.statusCode === 200 ? SyncResponse.parse(res.json()) : (res.json() as SyncResponse);
  return { status: res.statusCode, body: parsed, raw: res.body };
}

export function action(participantId: string, workshopId: string, overrides: Record<string, unknown> = {}) {
  return {
    participantId,
    workshopId,
    kind: 'share-materials',
    date: '2022-07-01',
    description: 'Shared the workshop slides with the PCA unit on the intranet.',
    audience: 'PCA unit',
    channel: 'intranet',
    ...overrides,
  };
}

export async function countRows(s: TestServer): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of ['records', 'mutation_results', 'devices', 'roster', 'enrolment_codes', 'conflict_log'] as const) {
    const r = await s.database.db
      .selectFrom(t)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[t] = Number(r.n);
  }
  return out;
}
