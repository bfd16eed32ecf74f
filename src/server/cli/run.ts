/**
 * The operator CLI as a function of its arguments and two output streams,
 * returning the exit code: admin.ts runs it on the process, and tests run
 * every command's --help in one process instead of one Node start each.
 * Exit codes: 0 done, 1 refused (bad file, unknown record), 2 wrong command line.
 */
import { loadConfig, type ServerConfig } from '../config';
import { openDatabase, type DatabaseHandle } from '../db/connection';
import { UsageError, usageOf, wantsHelp, type CliContext, type Command } from './command';
import { checkPack, importPackCommand, listWorkshops } from './content';
import { createCoordinator, createParticipant, listDevices, revokeDevice } from './people';
import { resetMfa, resetPassword } from './accounts';
import { exportResponses, importResponses, report } from './reports';
import { messagesCommand } from './messages';
import { backupCommand, restoreCommand } from './backup';

export const COMMANDS: readonly Command[] = [
  createCoordinator,
  resetPassword,
  resetMfa,
  createParticipant,
  listDevices,
  revokeDevice,
  listWorkshops,
  checkPack,
  importPackCommand,
  report,
  exportResponses,
  importResponses,
  messagesCommand,
  backupCommand,
  restoreCommand,
];

const USAGE = [
  'Usage: npm run admin -- <command> [options]',
  '',
  ...COMMANDS.map((c) => `  ${c.name.padEnd(20)}${c.summary}`),
  '',
  'npm run admin -- <command> --help explains a command and its options.',
].join('\n');

/** Where a command's output goes; a command writes everything before it returns its exit code. */
export interface CliStreams {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

export async function runAdmin(
  argv: readonly string[],
  io: CliStreams,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const [name, ...rest] = argv;
  const out = (text: string) => io.stdout.write(`${text}\n`);
  const err = (text: string) => io.stderr.write(`${text}\n`);
  if (name === undefined) {
    err(USAGE);
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    const about = COMMANDS.find((c) => c.name === rest[0]);
    out(about ? usageOf(about) : USAGE);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    err(`Unknown command "${name}".\n\n${USAGE}`);
    return 2;
  }
  if (wantsHelp(rest)) {
    out(usageOf(command));
    return 0;
  }

  let config: ServerConfig | undefined;
  let database: Promise<DatabaseHandle> | undefined;
  const ctx: CliContext = {
    config: () => (config ??= loadConfig(env)),
    database: () => (database ??= openDatabase(ctx.config().database)),
    out,
    write: (text) => io.stdout.write(text),
    err,
  };
  try {
    return await command.run(rest, ctx);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err(`${error.message}\nUsage: npm run admin -- ${command.name} ${command.synopsis}`);
    err(`Run "npm run admin -- ${command.name} --help" for details.`);
    return 2;
  } finally {
    if (database) await (await database).close();
  }
}
