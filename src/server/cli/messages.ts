/**
 * `npm run admin -- messages <list|send-due|preview>`: the follow-up
 * round's messages for operators, through the same service the server's
 * timer runs (messages/service.ts). `send-due --at` runs the schedule once
 * as if at that time; a second run at the same time sends nothing, because
 * every message is a job with a unique key.
 */
import * as z from 'zod';
import { Id } from '../../shared/schemas/common';
import { MessageLanguage, MessageState } from '../../shared/schemas/messages';
import { createMessageService } from '../messages/service';
import { previewMessage } from '../messages/texts';
import { UsageError, parseCommandArgs, type CliContext, type Command } from './command';

const SUBCOMMANDS = ['list', 'send-due', 'preview'] as const;

async function service(ctx: CliContext) {
  const config = ctx.config();
  const { db, dialect } = await ctx.database();
  return createMessageService({
    db,
    dialect,
    publicUrl: config.publicUrl,
    smtpUrl: config.smtpUrl,
    mailFrom: config.mailFrom,
    log: { info: (m) => ctx.err(m), warn: (m) => ctx.err(m) },
  });
}

async function list(argv: string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommandArgs(
    'messages list',
    argv,
    { workshop: { type: 'string' }, json: { type: 'boolean' } },
    { names: [] },
  );
  if (values.workshop !== undefined && !Id.safeParse(values.workshop).success)
    throw new UsageError(`--workshop ${values.workshop}: a workshop id is a UUID (see list-workshops).`);
  const messages = await service(ctx);
  try {
    const rows = await messages.list(values.workshop);
    if (values.json) {
      ctx.out(JSON.stringify(rows, null, 2));
      return 0;
    }
    if (rows.length === 0) {
      ctx.out('No follow-up message is scheduled or sent yet.');
      return 0;
    }
    for (const m of rows)
      ctx.out(
        [m.sendAt, m.workshopId, m.participantId, m.key.padEnd(12), m.channel.padEnd(5), m.state, m.reason ?? '']
          .join('  ')
          .trimEnd(),
      );
    return 0;
  } finally {
    messages.close();
  }
}

async function sendDue(argv: string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommandArgs(
    'messages send-due',
    argv,
    { at: { type: 'string' }, json: { type: 'boolean' } },
    { names: [] },
  );
  let at = new Date();
  if (values.at !== undefined) {
    const parsed = z.iso.datetime({ offset: true }).safeParse(values.at);
    if (!parsed.success) throw new UsageError(`--at ${values.at}: give an ISO-8601 time such as 2027-01-05T09:00:00Z.`);
    at = new Date(parsed.data);
  }
  const messages = await service(ctx);
  try {
    const report = await messages.runDue(at);
    if (values.json) ctx.out(JSON.stringify({ at: at.toISOString(), ...report }));
    else
      ctx.out(
        `At ${at.toISOString()}: ${report.scheduled} newly scheduled, ${report.sent} sent, ${report.retrying} to retry, ${report.failed} failed, ${report.cancelled} cancelled.`,
      );
    return 0;
  } finally {
    messages.close();
  }
}

async function preview(argv: string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommandArgs(
    'messages preview',
    argv,
    { kind: { type: 'string' }, lang: { type: 'string' }, html: { type: 'boolean' } },
    { names: [] },
  );
  const kind = MessageState.shape.kind.safeParse(values.kind);
  if (!kind.success) throw new UsageError(`Give --kind with one of ${MessageState.shape.kind.options.join(', ')}.`);
  const lang = MessageLanguage.safeParse(values.lang ?? 'en');
  if (!lang.success) throw new UsageError(`--lang ${values.lang}: one of ${MessageLanguage.options.join(', ')}.`);
  const rendered = previewMessage(kind.data, lang.data, ctx.config().publicUrl);
  if (values.html) ctx.write(rendered.html);
  else {
    ctx.out(`Subject: ${rendered.subject}`);
    ctx.out('');
    ctx.write(rendered.text);
    ctx.out('');
    ctx.out(`Notification: ${rendered.push.title} — ${rendered.push.body}`);
  }
  return 0;
}

export const messagesCommand: Command = {
  name: 'messages',
  synopsis:
    'list [--workshop ID] [--json] | send-due [--at ISO-8601] [--json] | preview --kind KIND [--lang LANG] [--html]',
  summary: 'List, send or preview the follow-up round’s invitations, reminders and feedback.',
  help: [
    '  list [--workshop ID] [--json]   every message per participant and channel, with its state',
    '                                  (scheduled, sending, sent, failed with its reason, cancelled)',
    '  send-due [--at ISO-8601] [--json]',
    '                                  run the schedule once as if at that time (default: now): write',
    '                                  the messages that fell due and send them; a second run at the',
    '                                  same time sends nothing',
    `  preview --kind KIND [--lang LANG] [--html]`,
    `                                  a message as a participant gets it; KIND is one of`,
    `                                  ${MessageState.shape.kind.options.join(', ')};`,
    `                                  LANG one of ${MessageLanguage.options.join(', ')} (default en)`,
  ].join('\n'),
  async run(argv, ctx) {
    const [sub, ...rest] = argv;
    switch (sub) {
      case 'list':
        return list(rest, ctx);
      case 'send-due':
        return sendDue(rest, ctx);
      case 'preview':
        return preview(rest, ctx);
      default:
        throw new UsageError(
          sub === undefined
            ? `Give one of ${SUBCOMMANDS.join(', ')}.`
            : `Unknown messages command "${sub}": one of ${SUBCOMMANDS.join(', ')}.`,
        );
    }
  },
};
