/**
 * First-start seeding: loads the demo content pack into an empty database
 * and, in demo mode, creates a coordinator account with a one-off random
 * password and a demo participant with an enrolment code, printed to the
 * log. Outside demo mode no account exists until the operator CLI makes one.
 */
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { ServerConfig } from '../config';
import { loadContentPack } from './pack';
import { importPack } from './import';
import { formatEnrolmentCode, hashPassword, newEnrolmentCode, sha256Hex } from '../auth/tokens';
import { putRecord } from '../sync/publish';

export const DEMO_PACK_DIR = path.join(import.meta.dirname, 'demo');
export const DEMO_COORDINATOR_EMAIL = 'coordinator@demo.vaka.example';

export async function seedDemo(
  db: Kysely<Database>,
  config: ServerConfig,
  opts: { demoAccounts: boolean; packDir?: string },
): Promise<string[]> {
  const log: string[] = [];
  const any = await db
    .selectFrom('records')
    .select('id')
    .where('collection', '=', 'workshops')
    .limit(1)
    .executeTakeFirst();
  if (!any) {
    const pack = await loadContentPack(opts.packDir ?? DEMO_PACK_DIR);
    const counts = await importPack(db, pack, config.filesDir);
    log.push(
      `Loaded demo content: ${Object.entries(counts)
        .map(([k, v]) => `${v} ${k}`)
        .join(', ')}.`,
    );
  }
  if (opts.demoAccounts) log.push(...(await ensureDemoAccounts(db, config)));
  return log;
}

async function ensureDemoAccounts(db: Kysely<Database>, config: ServerConfig): Promise<string[]> {
  const existing = await db.selectFrom('coordinators').select('id').limit(1).executeTakeFirst();
  if (existing) return [];
  const now = new Date();
  const password = randomBytes(12).toString('base64url');
  await db
    .insertInto('coordinators')
    .values({
      id: randomUUID(),
      email: DEMO_COORDINATOR_EMAIL,
      name: 'Demo coordinator',
      password_hash: await hashPassword(password),
      created_at: now.toISOString(),
      disabled_at: null,
    })
    .execute();
  const lines = [
    `Demo coordinator: ${DEMO_COORDINATOR_EMAIL} / ${password} (shown once; make real accounts with npm run admin)`,
  ];

  // A demo participant on the most recent workshop, so a phone can be enrolled straight away.
  const workshops = await db
    .selectFrom('records')
    .select(['id', 'data'])
    .where('collection', '=', 'workshops')
    .where('deleted', '=', 0)
    .execute();
  const latest = workshops
    .map((w) => ({ id: w.id, data: JSON.parse(w.data) as { endDate: string; title: string } }))
    .sort((a, b) => b.data.endDate.localeCompare(a.data.endDate))[0];
  if (latest) {
    const participantId = randomUUID();
    const code = newEnrolmentCode();
    await db.transaction().execute(async (trx) => {
      await putRecord(
        trx,
        'participants',
        { id: participantId, fullName: 'Demo Participant', email: null, memberCode: 'TO', position: 'Customs officer' },
        now.toISOString(),
      );
      await trx.insertInto('roster').values({ workshop_id: latest.id, participant_id: participantId }).execute();
      await trx
        .insertInto('enrolment_codes')
        .values({
          code_hash: sha256Hex(code),
          participant_id: participantId,
          created_at: now.toISOString(),
          expires_at: new Date(now.getTime() + config.enrolmentCodeTtlHours * 3600_000).toISOString(),
          used_at: null,
          device_id: null,
        })
        .execute();
    });
    lines.push(`Demo participant enrolment code (${latest.data.title}): ${formatEnrolmentCode(code)}`);
  }
  return lines;
}
