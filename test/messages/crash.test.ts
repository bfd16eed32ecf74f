/**
 * SIGKILL in the middle of sending, on SQLite and PostgreSQL: a server
 * process is killed while the mail server holds back its answer to a message
 * it has fully received (the point where a real mail server has queued it).
 * After a restart every participant has exactly one e-mail: the interrupted
 * one is not sent again, the rest go out, and the coordinator sees the
 * interrupted one with a reason. The one boundary (jobs.ts, header) is also
 * pinned: a crash before the mail server had the whole message leaves it
 * unsent and reported as such, never sent twice.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMessageService } from '../../src/server/messages/service';
import { INTERRUPTED_EMAIL_REASON, LEASE_MS } from '../../src/server/messages/jobs';
import { PushPayload } from '../../src/shared/schemas/messages';
import {
  DB_KINDS,
  addParticipant,
  addWorkshop,
  freshDb,
  startPushService,
  startSmtp,
  type TestDb,
  type TestPushService,
  type TestSmtp,
} from './support';

/** 12:00 in Fiji on the day the survey opens. */
const AT = new Date('2026-12-12T00:00:00Z');

function runChild(
  t: TestDb,
  smtp: TestSmtp,
  at: Date,
  push?: TestPushService,
): { proc: ChildProcess; done: Promise<number | null> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'test/messages/crash-child.ts'], {
    env: {
      ...process.env,
      VAKA_TEST_TARGET: JSON.stringify(t.target),
      SMTP_URL: smtp.url,
      VAKA_TEST_AT: at.toISOString(),
      ...(push ? { VAKA_TEST_CA: push.caPem } : {}),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const done = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return { proc, done };
}

// Each step starts a fresh tsx process, which takes seconds on a busy machine.
describe.each(DB_KINDS)('SIGKILL while sending on %s', { timeout: 180_000 }, (kind) => {
  let t: TestDb;
  let smtp: TestSmtp;
  const addresses = ['a@example.org', 'b@example.org', 'c@example.org', 'd@example.org'];
  let workshop: string;

  beforeEach(async () => {
    t = await freshDb(kind);
    smtp = await startSmtp();
    workshop = await addWorkshop(t.handle);
    for (const email of addresses) await addParticipant(t.handle, workshop, { email });
    // The feature first ran before the round opened.
    const first = createMessageService({ db: t.handle.db, dialect: t.handle.dialect, publicUrl: 'https://x.org' });
    await first.runDue(new Date('2026-12-01T00:00:00Z'));
  });

  afterEach(async () => {
    await smtp.close();
    await t.close();
  });

  const perRecipient = () => {
    const counts = new Map<string, number>();
    for (const m of smtp.received) counts.set(m.envelopeTo[0]!, (counts.get(m.envelopeTo[0]!) ?? 0) + 1);
    return Object.fromEntries([...counts].sort());
  };

  it('after the mail server has the message, each participant still gets exactly one e-mail', async () => {
    let stall!: () => void;
    const stalled = new Promise<void>((r) => (stall = r));
    smtp.onMessage = async () => {
      if (smtp.received.length === 2) {
        stall();
        await new Promise(() => {}); // never answers: the sender dies waiting
      }
    };
    const first = runChild(t, smtp, AT);
    await stalled;
    first.proc.kill('SIGKILL');
    expect(await first.done).toBeNull();
    const interrupted = smtp.received[1]!.envelopeTo[0]!;
    smtp.onMessage = async () => {};

    // Restart at once: the interrupted job is still leased, the others go out.
    const second = runChild(t, smtp, AT);
    expect(await second.done).toBe(0);
    // After the lease ran out: the interrupted job is settled, nothing is resent.
    const third = runChild(t, smtp, new Date(AT.getTime() + LEASE_MS + 60_000));
    expect(await third.done).toBe(0);

    expect(perRecipient()).toEqual(Object.fromEntries(addresses.map((a) => [a, 1])));
    const jobs = await t.handle.db.selectFrom('message_jobs').selectAll().execute();
    expect(jobs).toHaveLength(4);
    const participants = await t.handle.db
      .selectFrom('records')
      .select(['id', 'data'])
      .where('collection', '=', 'participants')
      .execute();
    const emailOf = new Map(participants.map((p) => [p.id, (JSON.parse(p.data) as { email: string }).email]));
    for (const j of jobs) {
      if (emailOf.get(j.participant_id) === interrupted)
        expect(j).toMatchObject({ state: 'failed', reason: INTERRUPTED_EMAIL_REASON });
      else expect(j).toMatchObject({ state: 'sent', reason: null });
    }
    // The Message-IDs that reached the server are the jobs' own: a hand-made resend would be recognisable.
    expect(smtp.received.map((m) => m.parsed.messageId).sort()).toEqual(jobs.map((j) => j.message_id).sort());
  });

  it('before the mail server has the message: reported as failed, never sent twice (the boundary)', async () => {
    let stall!: (address: string) => void;
    const stalled = new Promise<string>((r) => (stall = r));
    smtp.onRecipient = async (address) => {
      stall(address);
      await new Promise(() => {}); // never answers RCPT TO: no byte of the message is sent
    };
    const first = runChild(t, smtp, AT);
    const lost = await stalled;
    first.proc.kill('SIGKILL');
    await first.done;
    smtp.onRecipient = async () => {};
    const second = runChild(t, smtp, new Date(AT.getTime() + LEASE_MS + 60_000));
    expect(await second.done).toBe(0);

    expect(perRecipient()).toEqual(Object.fromEntries(addresses.filter((a) => a !== lost).map((a) => [a, 1])));
    const jobs = await t.handle.db.selectFrom('message_jobs').selectAll().execute();
    expect(jobs.filter((j) => j.state === 'sent')).toHaveLength(3);
    expect(jobs.filter((j) => j.state === 'failed').map((j) => j.reason)).toEqual([INTERRUPTED_EMAIL_REASON]);
  });

  it('push after a crash mid-send is sent again with the same tag, so the phone shows it once', async () => {
    const push = await startPushService();
    const p = await addParticipant(t.handle, workshop, { email: null });
    await t.handle.db.deleteFrom('roster').where('participant_id', '!=', p).execute();
    const sub = push.subscription('/push/phone');
    const service = createMessageService({ db: t.handle.db, dialect: t.handle.dialect, publicUrl: 'https://x.org' });
    await service.savePushSubscription(p, null, { endpoint: sub.endpoint, keys: sub.keys }, AT);
    let stall!: () => void;
    const stalled = new Promise<void>((r) => (stall = r));
    push.onPush = async () => {
      stall();
      await new Promise(() => {}); // the push service never answers the first time
    };
    const first = runChild(t, smtp, AT, push);
    await stalled;
    first.proc.kill('SIGKILL');
    await first.done;
    push.onPush = async () => {};
    const second = runChild(t, smtp, new Date(AT.getTime() + LEASE_MS + 60_000), push);
    expect(await second.done).toBe(0);

    const tags = push.received.map((r) => PushPayload.parse(JSON.parse(sub.decrypt(r.body))).tag);
    expect(tags).toHaveLength(2);
    expect(new Set(tags).size).toBe(1);
    expect(new Set(push.received.map((r) => r.headers.topic)).size).toBe(1);
    const [job] = await t.handle.db.selectFrom('message_jobs').selectAll().execute();
    expect(job).toMatchObject({ id: tags[0], channel: 'push', state: 'sent' });
    await push.close();
  });
});
