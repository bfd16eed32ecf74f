/**
 * Web Push against a local HTTPS endpoint that decrypts each payload, the
 * VAPID key kept in the database, subscriptions removed on 404/410; and the
 * coordinator's and participant's controls: remind now (once a day), pause
 * and resume, channel choice; two server instances running the schedule at
 * the same moment send each message once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMessageService, type MessageService } from '../../src/server/messages/service';
import { PushPayload } from '../../src/shared/schemas/messages';
import {
  DB_KINDS,
  addEnrolledDevice,
  addParticipant,
  addWorkshop,
  freshDb,
  startPushService,
  startSmtp,
  submitReply,
  type TestDb,
  type TestPushService,
  type TestSmtp,
} from './support';

/** 12:00 in Fiji on the day the survey opens. */
const OPEN_DAY = new Date('2026-12-12T00:00:00Z');

describe.each(DB_KINDS)('push and controls on %s', (kind) => {
  let t: TestDb;
  let smtp: TestSmtp;
  let push: TestPushService;
  let service: MessageService;
  let workshop: string;
  const make = (db = t.handle, instanceId?: string) =>
    createMessageService({
      db: db.db,
      dialect: db.dialect,
      publicUrl: 'https://vaka.example.org',
      smtpUrl: smtp.url,
      mailFrom: 'followup@example.org',
      pushAgent: push.agent,
      ...(instanceId ? { instanceId } : {}),
    });

  beforeEach(async () => {
    t = await freshDb(kind);
    smtp = await startSmtp();
    push = await startPushService();
    workshop = await addWorkshop(t.handle);
    service = make();
    await service.runDue(new Date('2026-12-01T00:00:00Z'));
  });

  afterEach(async () => {
    service.close();
    await smtp.close();
    await push.close();
    await t.close();
  });

  async function subscribed(path: string, participant: string) {
    const sub = push.subscription(path);
    await service.savePushSubscription(participant, null, { endpoint: sub.endpoint, keys: sub.keys }, OPEN_DAY);
    return sub;
  }

  it('keeps one VAPID key pair in the database, shared by every instance', async () => {
    const key = await service.vapidPublicKey();
    expect(Buffer.from(key, 'base64url')).toHaveLength(65);
    const other = make(await t.reopen());
    expect(await other.vapidPublicKey()).toBe(key);
    const row = await t.handle.db.selectFrom('meta').selectAll().where('key', '=', 'messages.vapid').execute();
    expect(row).toHaveLength(1);
    other.close();
  });

  it('encrypts the payload in the participant language and signs with the stored key', async () => {
    const p = await addParticipant(t.handle, workshop, { email: null, memberCode: 'TL' });
    await addEnrolledDevice(t.handle, p);
    const sub = await subscribed('/push/tl', p);
    await service.runDue(OPEN_DAY);
    expect(push.received).toHaveLength(1);
    const r = push.received[0]!;
    const payload = PushPayload.parse(JSON.parse(sub.decrypt(r.body)));
    expect(payload).toMatchObject({ kind: 'invitation', lang: 'pt', url: `/workshops/${workshop}/survey` });
    expect(payload.body).toBe('O questionário de acompanhamento está aberto. Responda até 2 de janeiro de 2027.');
    expect(r.body.includes(Buffer.from('questionário'))).toBe(false);
    expect(String(r.headers.authorization)).toContain(`k=${await service.vapidPublicKey()}`);
    expect(r.headers.urgency).toBe('normal');
  });

  it('removes subscriptions the push service answers 404 or 410 for, and says why when none is left', async () => {
    const p = await addParticipant(t.handle, workshop, { email: null });
    await subscribed('/push/gone', p);
    await subscribed('/push/missing', p);
    push.status.set('/push/gone', 410);
    push.status.set('/push/missing', 404);
    await service.runDue(OPEN_DAY);
    expect(await t.handle.db.selectFrom('push_subscriptions').selectAll().execute()).toEqual([]);
    const [state] = await service.list(workshop);
    expect(state).toMatchObject({
      channel: 'push',
      state: 'failed',
      reason: 'The phone no longer accepts notifications (its subscription expired and was removed).',
    });
  });

  it('counts a push as sent when one of the phones took it, and drops only the dead subscription', async () => {
    const p = await addParticipant(t.handle, workshop, { email: null });
    await subscribed('/push/old-phone', p);
    await subscribed('/push/new-phone', p);
    push.status.set('/push/old-phone', 410);
    await service.runDue(OPEN_DAY);
    const left = await t.handle.db.selectFrom('push_subscriptions').select('endpoint').execute();
    expect(left.map((r) => new URL(r.endpoint).pathname)).toEqual(['/push/new-phone']);
    expect((await service.list(workshop))[0]!.state).toBe('sent');
  });

  it('retries when the push service has a problem (5xx)', async () => {
    const p = await addParticipant(t.handle, workshop, { email: null });
    await subscribed('/push/flaky', p);
    push.status.set('/push/flaky', 503);
    expect((await service.runDue(OPEN_DAY)).retrying).toBe(1);
    push.status.delete('/push/flaky');
    expect((await service.runDue(new Date(OPEN_DAY.getTime() + 5 * 60_000))).sent).toBe(1);
  });

  it('reminds now at most once a day per participant, at a civil hour', async () => {
    const p = await addParticipant(t.handle, workshop, { email: 'now@example.org' });
    await service.runDue(OPEN_DAY);
    const at = new Date('2026-12-15T01:00:00Z');
    expect(await service.remindNow(p, workshop, at)).toEqual({ kind: 'queued', channels: ['email'] });
    expect(await service.remindNow(p, workshop, new Date(at.getTime() + 3_600_000))).toEqual({
      kind: 'already-today',
    });
    await service.runDue(at);
    expect(smtp.received.map((m) => m.parsed.subject)).toEqual([
      'Six months on: how has Sub-regional Workshop on Data Analytics helped your work?',
      'A reminder from your coordinator: the Sub-regional Workshop on Data Analytics survey',
    ]);
    expect(await service.remindNow(p, workshop, new Date(at.getTime() + 25 * 3_600_000))).toEqual({
      kind: 'queued',
      channels: ['email'],
    });
    expect(await service.remindNow(p, workshop, new Date(at.getTime() + 26 * 3_600_000))).toEqual({
      kind: 'already-today',
    });
    expect(await service.remindNow(p, '00000000-0000-4000-8000-000000000000', at)).toEqual({ kind: 'not-found' });
  });

  it('holds a paused workshop’s messages, queued ones included, and sends them on resume', async () => {
    await addParticipant(t.handle, workshop, { email: 'p@example.org' });
    await service.pause(workshop, OPEN_DAY);
    expect((await service.settings(workshop)).paused).toBe(true);
    await service.runDue(OPEN_DAY);
    expect(await service.list(workshop)).toEqual([]);
    await service.resume(workshop);
    // Queued, then paused before the runner sends: the claim skips it.
    const late = new Date('2026-12-12T10:00:00Z'); // 22:00 in Fiji: waits for the morning
    await service.runDue(late);
    expect((await service.list(workshop))[0]!.state).toBe('scheduled');
    await service.pause(workshop, late);
    await service.runDue(new Date('2026-12-12T22:00:00Z'));
    expect(smtp.received).toHaveLength(0);
    await service.resume(workshop);
    await service.runDue(new Date('2026-12-12T22:00:00Z'));
    expect(smtp.received).toHaveLength(1);
  });

  it('follows the participant’s channel choice and per-workshop reminder days', async () => {
    const p = await addParticipant(t.handle, workshop, { email: 'c@example.org' });
    await subscribed('/push/c', p);
    await service.setPreferences(p, { channels: 'push', language: 'en' }, OPEN_DAY);
    await service.runDue(OPEN_DAY);
    expect(smtp.received).toHaveLength(0);
    expect(push.received).toHaveLength(1);
    expect(await service.setReminderDays(workshop, [10])).toMatchObject({ reminderDays: [10] });
    await service.setPreferences(p, { channels: 'none', language: 'en' }, OPEN_DAY);
    await service.runDue(new Date('2026-12-23T00:00:00Z'));
    expect(push.received).toHaveLength(1);
    await service.setPreferences(p, { channels: 'both', language: 'en' }, OPEN_DAY);
    await service.runDue(new Date('2026-12-23T00:00:00Z'));
    expect((await service.list(workshop)).map((s) => `${s.key}/${s.channel}`)).toEqual([
      'invitation/push',
      'reminder-10/email',
      'reminder-10/push',
    ]);
  });

  it('cancels a queued reminder when the participant replies before it goes', async () => {
    const p = await addParticipant(t.handle, workshop, { email: 'r@example.org' });
    await service.runDue(OPEN_DAY);
    await service.runDue(new Date('2026-12-26T10:00:00Z')); // reminder-7 due, but 22:00 in Fiji: queued
    await submitReply(t.handle, workshop, p, new Date('2026-12-26T11:00:00Z'));
    await service.runDue(new Date('2026-12-26T21:00:00Z'));
    const reminder = (await service.list(workshop)).find((s) => s.key === 'reminder-7')!;
    expect(reminder).toMatchObject({ state: 'cancelled', reason: 'Not sent: they replied on 2026-12-26.' });
    expect(smtp.received).toHaveLength(1);
  });

  it('two instances running the schedule at the same moment send each message once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const p = await addParticipant(t.handle, workshop, { email: `m${i}@example.org` });
      await subscribed(`/push/m${i}`, p);
      ids.push(p);
    }
    const a = make(await t.reopen(), 'instance-a');
    const b = make(await t.reopen(), 'instance-b');
    const [ra, rb] = await Promise.all([a.runDue(OPEN_DAY), b.runDue(OPEN_DAY)]);
    expect(ra.sent + rb.sent).toBe(16);
    expect(ra.scheduled + rb.scheduled).toBe(16);
    expect(smtp.received.map((m) => m.envelopeTo[0]).sort()).toEqual(ids.map((_, i) => `m${i}@example.org`).sort());
    expect(push.received).toHaveLength(8);
    a.close();
    b.close();
  });
});
