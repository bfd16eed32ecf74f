/**
 * What every operator command shares: its usage text (printed by
 * `<command> --help`), strict option parsing that names an unknown or
 * incomplete flag (exit code 2, as for any wrong command line), and a
 * lazily opened database, so `--help` and `check-pack` work without one.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { ServerConfig } from '../config';
import type { DatabaseHandle } from '../db/connection';

export interface CliContext {
  config(): ServerConfig;
  /** The configured database, opened on first use and closed when the command ends. */
  database(): Promise<DatabaseHandle>;
  /** A line to standard output. */
  out(text: string): void;
  /** Text to standard output exactly as given (a CSV file's bytes). */
  write(text: string): void;
  err(text: string): void;
}

export interface Command {
  name: string;
  /** The arguments after the command name: `--fiscal-year YEAR [--json]`. */
  synopsis: string;
  /** One line for the list of commands. */
  summary: string;
  /** Lines describing options and behaviour, for `<command> --help`. */
  help: string;
  /** Returns the exit code: 0 done, 1 refused (bad file, unknown record), 2 wrong command line. */
  run(argv: string[], ctx: CliContext): Promise<number>;
}

/** A wrong command line: the message says what, and the runner adds where to read the usage. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function usageOf(command: Command): string {
  return `Usage: npm run admin -- ${command.name} ${command.synopsis}\n\n${command.summary}\n\n${command.help}`;
}

/** True when --help or -h comes before any `--` that ends the options. */
export function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

/** parseArgs in strict mode, its errors rewritten as UsageErrors that name the flag and the command's options. */
type Options = NonNullable<ParseArgsConfig['options']>;

/** What parseArgs gives for each option, spelled out because node's own type for it is not exported. */
type Values<O extends Options> = {
  [K in keyof O]?: O[K] extends { type: 'boolean' }
    ? O[K] extends { multiple: true }
      ? boolean[]
      : boolean
    : O[K] extends { multiple: true }
      ? string[]
      : string;
};

export function parseCommandArgs<const O extends Options>(
  command: string,
  argv: string[],
  options: O,
  positionals: { names: string[] },
): { values: Values<O>; positionals: string[] } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
    const flag = err instanceof Error ? (/'(-{1,2}[^' ]+)/.exec(err.message)?.[1] ?? '') : '';
    const known = Object.keys(options).map((o) => `--${o}`);
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
      throw new UsageError(
        `Unknown option ${flag} for ${command}.${known.length ? ` Its options are ${known.join(', ')}.` : ' It takes no options.'}`,
      );
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE')
      throw new UsageError(
        options[flag.replace(/^-+/, '')]?.type === 'boolean' ? `${flag} takes no value.` : `${flag} needs a value.`,
      );
    throw err;
  }
  if (parsed.positionals.length < positionals.names.length)
    throw new UsageError(`Give ${positionals.names.slice(parsed.positionals.length).join(' and ')}.`);
  if (parsed.positionals.length > positionals.names.length)
    throw new UsageError(`Unexpected argument "${parsed.positionals[positionals.names.length]}".`);
  return { values: parsed.values as Values<O>, positionals: parsed.positionals };
}
