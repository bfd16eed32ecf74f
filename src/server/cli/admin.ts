/**
 * Operator CLI: `npm run admin -- <command>`. Works on the database the
 * environment names (DATABASE_URL or the SQLite file), so operators manage
 * accounts without any default password ever existing.
 *
 *   create-coordinator --email E --name N   (password from VAKA_PASSWORD or stdin)
 *   import-pack DIR                         (validate and load a content pack)
 *   check-pack DIR                          (validate only)
 *   list-devices
 *   revoke-device DEVICE_ID
 */
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline/promises';
import * as z from 'zod';
import { loadConfig } from '../config';
import { openDatabase } from '../db/connection';
import { hashPassword } from '../auth/tokens';
import { loadContentPack } from '../content/pack';
import { importPack } from '../content/import';

const USAGE = `Usage: npm run admin -- <command>
  create-coordinator --email E --name N   password from VAKA_PASSWORD or typed on stdin (at least 12 characters)
  import-pack DIR                         validate a content pack and load it
  check-pack DIR                          validate a content pack only
  list-devices                            enrolled devices with their last contact
  revoke-device DEVICE_ID                 the device gets 401 and removes its participant's data`;

async function readPassword(): Promise<string> {
  if (process.env.VAKA_PASSWORD) return process.env.VAKA_PASSWORD;
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: false });
  process.stderr.write('Password (at least 12 characters): ');
  for await (const line of rl) {
    rl.close();
    return line.trim();
  }
  return '';
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  if (command === 'check-pack') {
    const pack = await loadContentPack(rest[0] ?? '.');
    console.log(
      `OK: ${pack.workshops.length} workshops, ${pack.materials.length} materials, ${pack.toolSummaries.length} tool summaries.`,
    );
    return 0;
  }
  const config = loadConfig();
  const database = await openDatabase(config.database);
  try {
    switch (command) {
      case 'create-coordinator': {
        const { values } = parseArgs({ args: rest, options: { email: { type: 'string' }, name: { type: 'string' } } });
        const email = z.email().safeParse(values.email?.toLowerCase());
        if (!email.success || !values.name) {
          console.error('Give --email with a valid address and --name.');
          return 2;
        }
        const password = await readPassword();
        if (password.length < 12) {
          console.error('The password needs at least 12 characters.');
          return 2;
        }
        await database.db
          .insertInto('coordinators')
          .values({
            id: randomUUID(),
            email: email.data,
            name: values.name,
            password_hash: await hashPassword(password),
            created_at: new Date().toISOString(),
            disabled_at: null,
          })
          .execute();
        console.log(`Coordinator ${email.data} created.`);
        return 0;
      }
      case 'import-pack': {
        const pack = await loadContentPack(rest[0] ?? '.');
        const counts = await importPack(database.db, pack, config.filesDir);
        console.log(
          `Imported: ${Object.entries(counts)
            .map(([k, v]) => `${v} ${k}`)
            .join(', ')}.`,
        );
        return 0;
      }
      case 'list-devices': {
        const rows = await database.db.selectFrom('devices').selectAll().orderBy('created_at').execute();
        for (const d of rows)
          console.log(
            `${d.id}  participant ${d.participant_id}  "${d.name}"  last contact ${d.last_seen_at ?? 'never'}${d.revoked_at ? '  REVOKED' : ''}`,
          );
        return 0;
      }
      case 'revoke-device': {
        const res = await database.db
          .updateTable('devices')
          .set({ revoked_at: new Date().toISOString() })
          .where('id', '=', rest[0] ?? '')
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) === 0) {
          console.error('No such device.');
          return 1;
        }
        console.log('Device revoked.');
        return 0;
      }
      default:
        console.error(`Unknown command "${command}".\n${USAGE}`);
        return 2;
    }
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
