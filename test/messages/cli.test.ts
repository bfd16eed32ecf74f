/**
 * `npm run admin -- messages …` on SQLite and PostgreSQL with a real SMTP
 * server, through the same function the entry point runs: send-due at a
 * given time sends the invitation, a second run at that time sends nothing;
 * list shows it sent, as text and JSON; preview prints the Persian text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdmin } from '../../src/server/cli/run';
import { MessageState } from '../../src/shared/schemas/messages';
import { DB_KINDS, addParticipant, addWorkshop, freshDb, startSmtp, type TestDb, type TestSmtp } from './support';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe.each(DB_KINDS)('messages CLI on %s', (kind) => {
  let t: TestDb;
  let smtp: TestSmtp;
  let env: Record<string, string>;
  let workshop: string;

  async function admin(...args: string[]): Promise<Run> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runAdmin(
      args,
      { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) } },
      env,
    );
    return { code, stdout: out.join(''), stderr: err.join('') };
  }

  beforeAll(async () => {
    t = await freshDb(kind);
    smtp = await startSmtp();
    workshop = await addWorkshop(t.handle);
    await addParticipant(t.handle, workshop, { email: 'mere@example.org' });
    env = t.target.kind === 'sqlite' ? { DATABASE_PATH: t.target.path } : { DATABASE_URL: t.target.url };
    Object.assign(env, { SMTP_URL: smtp.url, PUBLIC_URL: 'https://vaka.example.org', LOG_LEVEL: 'silent' });
  });

  afterAll(async () => {
    await smtp?.close();
    await t?.close();
  });

  it('sends what is due at --at once: a second run at the same time sends nothing', async () => {
    const at = '2026-12-12T00:00:00Z';
    const first = await admin('messages', 'send-due', '--at', at, '--json');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ at: '2026-12-12T00:00:00.000Z', scheduled: 1, sent: 1 });
    const second = await admin('messages', 'send-due', '--at', at, '--json');
    expect(JSON.parse(second.stdout)).toMatchObject({ scheduled: 0, sent: 0, failed: 0 });
    expect(smtp.received.map((m) => m.envelopeTo)).toEqual([['mere@example.org']]);
    expect(smtp.received[0]!.parsed.text).toContain('https://vaka.example.org/enrol#signin=vs_');

    const listed = await admin('messages', 'list', '--workshop', workshop, '--json');
    const rows = (JSON.parse(listed.stdout) as unknown[]).map((r) => MessageState.parse(r));
    expect(rows).toEqual([expect.objectContaining({ key: 'invitation', channel: 'email', state: 'sent' })]);
    const text = await admin('messages', 'list');
    expect(text.stdout).toMatch(/^2026-12-1\d\S+\s+\S+\s+\S+\s+invitation\s+email\s+sent$/m);
  }, 120_000);

  it('previews a message in Persian, and names a wrong command line', async () => {
    const fa = await admin('messages', 'preview', '--kind', 'invitation', '--lang', 'fa');
    expect(fa.code).toBe(0);
    expect(fa.stdout).toMatch(/^Subject: .*[\u0600-\u06FF]/);
    expect(fa.stdout).toContain('https://vaka.example.org/workshops/');
    const bad = await admin('messages', 'preview', '--kind', 'spam');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Give --kind with one of invitation');
    expect((await admin('messages', 'send-due', '--at', 'tomorrow')).code).toBe(2);
    expect((await admin('messages', 'bogus')).code).toBe(2);
  });
});
