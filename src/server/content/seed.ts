/**
 * First-start seeding: loads the demo content pack into an empty database,
 * with two sample workshops dated from now (demo-now.ts), and, in demo mode, creates a coordinator account with a one-off random
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
import type { FileStorage } from '../files/storage';
import { openFileStorage } from '../files/open';
import { withStartupLock } from '../db/startup-lock';
import { Workshop } from '../../shared/schemas/workshop';
import { live } from '../db/live-records';
import { anyCoordinator, createCoordinator } from '../people/coordinators';
import { createParticipant } from '../people/participants';
import { putRecord } from '../sync/publish';
import { DEMO_IN_PROGRESS_ID, DEMO_SURVEY_OPEN_ID, demoWorkshopsNow } from './demo-now';

export const DEMO_PACK_DIR = path.join(import.meta.dirname, 'demo');
export const DEMO_COORDINATOR_EMAIL = 'coordinator@demo.vaka.example';

/** A line for the start-up log; `standOut` marks what a newcomer must see (the one-off password, the code). */
export interface SeedLine {
  text: string;
  standOut: boolean;
}

export async function seedDemo(
  db: Kysely<Database>,
  config: ServerConfig,
  opts: { demoAccounts: boolean; packDir?: string; now?: Date; files?: FileStorage },
): Promise<SeedLine[]> {
  // Instances started at once on one empty PostgreSQL database take turns: the first seeds, the rest find it done.
  return withStartupLock(db, 'demo-seed', async () => {
    const files = opts.files ?? openFileStorage(config);
    try {
      return await seedOnce(db, config, files, opts);
    } finally {
      if (!opts.files) await files.close();
    }
  });
}

async function seedOnce(
  db: Kysely<Database>,
  config: ServerConfig,
  files: FileStorage,
  opts: { demoAccounts: boolean; packDir?: string; now?: Date },
): Promise<SeedLine[]> {
  const now = opts.now ?? new Date();
  const log: SeedLine[] = [];
  const any = await db
    .selectFrom('records')
    .select('id')
    .where('collection', '=', 'workshops')
    .limit(1)
    .executeTakeFirst();
  if (!any) {
    const pack = await loadContentPack(opts.packDir ?? DEMO_PACK_DIR);
    const counts = await importPack(db, pack, files);
    const dated = demoWorkshopsNow(now);
    await db.transaction().execute(async (trx) => {
      for (const w of dated.workshops) await putRecord(trx, 'workshops', w, now.toISOString());
      for (const session of dated.sessions) await putRecord(trx, 'agendaSessions', session, now.toISOString());
    });
    log.push({
      text: `Loaded demo content: ${Object.entries(counts)
        .map(([k, v]) => `${v} ${k}`)
        .join(', ')}, and ${dated.workshops.length} sample workshops dated from today.`,
      standOut: false,
    });
  }
  if (opts.demoAccounts)
    log.push(...(await ensureDemoAccounts(db, config, now)).map((text) => ({ text, standOut: true })));
  return log;
}

async function ensureDemoAccounts(db: Kysely<Database>, config: ServerConfig, now: Date): Promise<string[]> {
  if (await anyCoordinator(db)) return [];
  const password = randomBytes(12).toString('base64url');
  await createCoordinator(db, { email: DEMO_COORDINATOR_EMAIL, name: 'Demo coordinator', password }, now);
  const lines = [
    `Demo coordinator: ${DEMO_COORDINATOR_EMAIL} / ${password} (shown once; make real accounts with npm run admin)`,
  ];

  // A demo participant on the sample workshops dated from now (or else the most recent one), so a phone
  // enrolled straight away shows the agenda's now/next and an open survey.
  const workshops = await live(db, 'workshops', Workshop);
  const dated = workshops.filter((w) => w.id === DEMO_IN_PROGRESS_ID || w.id === DEMO_SURVEY_OPEN_ID);
  const chosen = dated.length ? dated : workshops.sort((a, b) => b.endDate.localeCompare(a.endDate)).slice(0, 1);
  if (chosen.length) {
    const created = await createParticipant(
      db,
      {
        participant: {
          id: randomUUID(),
          fullName: 'Demo Participant',
          email: null,
          memberCode: 'TO',
          position: 'Customs officer',
        },
        workshopIds: chosen.map((w) => w.id),
      },
      now,
      { enrolmentCodeTtlHours: config.enrolmentCodeTtlHours },
    );
    if (created.kind === 'created' && created.code)
      lines.push(`Demo participant enrolment code (${chosen.map((w) => w.title).join('; ')}): ${created.code.display}`);
  }
  return lines;
}
