/**
 * Operator commands for a coordinator who is locked out: a new password
 * (same rules as the coordinator's own change, auth/passwords.ts) and the
 * removal of a lost second factor. Both end every session of the account,
 * so whoever held the old secret is signed out too.
 */
import { createInterface } from 'node:readline/promises';
import * as z from 'zod';
import { MIN_PASSWORD_LENGTH, PASSWORD_PROBLEMS } from '../auth/passwords';
import { resetPassword as resetAccountPassword } from '../auth/sessions';
import { resetSecondFactor } from '../auth/second-factor';
import { UsageError, parseCommandArgs, type Command } from './command';

async function readPassword(): Promise<string> {
  if (process.env.VAKA_PASSWORD) return process.env.VAKA_PASSWORD;
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: false });
  process.stderr.write(`New password (at least ${MIN_PASSWORD_LENGTH} characters): `);
  for await (const line of rl) {
    rl.close();
    return line.trim();
  }
  return '';
}

function emailOption(name: string, argv: string[]): string {
  const { values } = parseCommandArgs(name, argv, { email: { type: 'string' } }, { names: [] });
  const email = z.email().safeParse(values.email?.toLowerCase());
  if (!email.success) throw new UsageError('Give --email with the coordinator’s sign-in address.');
  return email.data;
}

export const resetPassword: Command = {
  name: 'reset-password',
  synopsis: '--email E',
  summary: 'Set a new password for a coordinator and end all their sessions.',
  help: [
    '  --email E   the coordinator’s sign-in address',
    `The password comes from VAKA_PASSWORD, or is read from stdin: at least ${MIN_PASSWORD_LENGTH} characters and`,
    'not on the list of common or breached passwords.',
  ].join('\n'),
  async run(argv, ctx) {
    const email = emailOption(this.name, argv);
    const password = await readPassword();
    const { db } = await ctx.database();
    const outcome = await resetAccountPassword(db, email, password, new Date());
    if (outcome.kind === 'weak') {
      ctx.err(PASSWORD_PROBLEMS[outcome.problem]);
      return 1;
    }
    if (outcome.kind === 'unknown_account') {
      ctx.err(`No coordinator signs in as ${email}.`);
      return 1;
    }
    ctx.out(`Password of ${email} changed; every session of the account has ended.`);
    return 0;
  },
};

export const resetMfa: Command = {
  name: 'reset-mfa',
  synopsis: '--email E',
  summary: 'Remove a coordinator’s lost second factor and end all their sessions.',
  help: [
    '  --email E   the coordinator’s sign-in address',
    'The recovery codes go too. With COORDINATOR_MFA=required the coordinator sets up a new second factor at',
    'the next sign-in; check who is asking before you run this.',
  ].join('\n'),
  async run(argv, ctx) {
    const email = emailOption(this.name, argv);
    const { db } = await ctx.database();
    if (!(await resetSecondFactor(db, email))) {
      ctx.err(`No coordinator signs in as ${email}.`);
      return 1;
    }
    ctx.out(`Second factor of ${email} removed; every session of the account has ended.`);
    return 0;
  },
};
