/**
 * Operator CLI: `npm run admin -- <command>`, for the people who run the
 * server. Works on the database the environment names (DATABASE_URL or the
 * SQLite file), so operators manage accounts without any default password
 * ever existing. `npm run admin -- <command> --help` explains a command.
 * Exit codes: 0 done, 1 refused (bad file, unknown record), 2 wrong command line.
 */
import { loadConfig, type ServerConfig } from '../config';
import { openDatabase, type DatabaseHandle } from '../db/connection';
import { UsageError, usageOf, wantsHelp, type CliContext, type Command } from './command';
import { checkPack, importPackCommand } from './content';
import { createCoordinator, createParticipant, listDevices, revokeDevice } from './people';
import { exportResponses, importResponses, report } from './reports';

const COMMANDS: readonly Command[] = [
  createCoordinator,
  createParticipant,
  listDevices,
  revokeDevice,
  checkPack,
  importPackCommand,
  report,
  exportResponses,
  importResponses,
];

const USAGE = [
  'Usage: npm run admin -- <command> [options]',
  '',
  ...COMMANDS.map((c) => `  ${c.name.padEnd(20)}${c.summary}`),
  '',
  'npm run admin -- <command> --help explains a command and its options.',
].join('\n');

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    console.error(USAGE);
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    const about = COMMANDS.find((c) => c.name === rest[0]);
    console.log(about ? usageOf(about) : USAGE);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    console.error(`Unknown command "${name}".\n\n${USAGE}`);
    return 2;
  }
  if (wantsHelp(rest)) {
    console.log(usageOf(command));
    return 0;
  }

  let config: ServerConfig | undefined;
  let database: Promise<DatabaseHandle> | undefined;
  const ctx: CliContext = {
    config: () => (config ??= loadConfig()),
    database: () => (database ??= openDatabase(ctx.config().database)),
    out: (text) => console.log(text),
    err: (text) => console.error(text),
  };
  try {
    return await command.run(rest, ctx);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`${err.message}\nUsage: npm run admin -- ${command.name} ${command.synopsis}`);
    console.error(`Run "npm run admin -- ${command.name} --help" for details.`);
    return 2;
  } finally {
    if (database) await (await database).close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
