/**
 * A whole follow-up round on a fake clock, on SQLite and PostgreSQL, with a
 * real SMTP server and a push endpoint that decrypts what it receives:
 * invitation, two reminders, last call and feedback reach each participant
 * once per channel, at a civil hour on their clock, and stop when they reply
 * or unsubscribe; historic rounds send nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMessageService, type MessageService } from '../../src/server/messages/service';
import { zoneOffsetMinutes } from '../../src/shared/domain/time-zones';
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

const HOUR = 3_600_000;

describe.each(DB_KINDS)('a whole round on %s', (kind) => {
  let t: TestDb;
  let smtp: TestSmtp;
  let push: TestPushService;
  let service: MessageService;
  const clock = { now: new Date('2026-12-01T00:00:00Z') };
  const arrivals: { to: string; at: Date; subject: string; messageId: string }[] = [];
  let workshop: string;
  let fiji: string;
  let tonga: string;
  let tehran: string;
  let historic: string;
  const sub = { endpoint: '', decrypt: (_b: Buffer) => '' };

  beforeAll(async () => {
    t = await freshDb(kind);
    smtp = await startSmtp();
    smtp.onMessage = async (mail) => {
      arrivals.push({
        to: mail.envelopeTo[0]!,
        at: clock.now,
        subject: mail.parsed.subject ?? '',
        messageId: mail.parsed.messageId ?? '',
      });
    };
    push = await startPushService();
    const db = t.handle;
    workshop = await addWorkshop(db);
    fiji = await addParticipant(db, workshop, { fullName: 'Mere Tuilau', email: 'mere@example.org', memberCode: 'FJ' });
    tonga = await addParticipant(db, workshop, {
      fullName: 'Sione Fifita',
      email: 'sione@example.org',
      memberCode: 'TO',
    });
    tehran = await addParticipant(db, workshop, {
      fullName: 'Reza Ahmadi',
      email: 'reza@example.org',
      memberCode: 'IR',
    });
    const old = await addWorkshop(db, { startDate: '2023-01-09', endDate: '2023-01-11' });
    historic = await addParticipant(db, old, { email: 'old@example.org' });
    await addEnrolledDevice(db, fiji);
    const s = push.subscription('/push/mere');
    Object.assign(sub, s);
    service = createMessageService({
      db: db.db,
      dialect: db.dialect,
      publicUrl: 'https://vaka.example.org',
      smtpUrl: smtp.url,
      mailFrom: 'ROCB A/P <followup@example.org>',
      pushAgent: push.agent,
    });
    await service.savePushSubscription(fiji, null, { endpoint: s.endpoint, keys: s.keys }, clock.now);

    // Every 6 hours from 1 December to mid-February; the Tongan replies on 20 December,
    // the Iranian unsubscribes after the invitation, results are published on 20 January.
    const end = new Date('2027-02-15T00:00:00Z').getTime();
    for (let at = clock.now.getTime(); at <= end; at += 6 * HOUR) {
      clock.now = new Date(at);
      if (clock.now.toISOString() === '2026-12-20T00:00:00.000Z') await submitReply(db, workshop, tonga, clock.now);
      if (clock.now.toISOString() === '2027-01-20T00:00:00.000Z') await service.publishResults(workshop, clock.now);
      if (clock.now.toISOString() === '2026-12-14T00:00:00.000Z') {
        const mail = smtp.received.find((m) => m.envelopeTo[0] === 'reza@example.org')!;
        const token = /unsubscribe\/([^>]+)>/.exec(mail.header('list-unsubscribe')!)![1]!;
        expect(await service.unsubscribe(token, clock.now)).toBe(true);
      }
      await service.runDue(clock.now);
    }
  }, 600_000);

  afterAll(async () => {
    service.close();
    await smtp.close();
    await push.close();
    await t.close();
  });

  const mailsTo = (address: string) => arrivals.filter((a) => a.to === address);

  it('sends the Fijian invitation, two reminders, the last call and feedback by e-mail, each once', () => {
    const subjects = mailsTo('mere@example.org').map((m) => m.subject);
    expect(subjects).toEqual([
      'Six months on: how has Sub-regional Workshop on Data Analytics helped your work?',
      'Reminder: the Sub-regional Workshop on Data Analytics survey is due on January 2, 2027',
      'Reminder: the Sub-regional Workshop on Data Analytics survey is due on January 2, 2027',
      'Last day: the Sub-regional Workshop on Data Analytics survey is due today',
      'What participants did after Sub-regional Workshop on Data Analytics',
    ]);
    const ids = mailsTo('mere@example.org').map((m) => m.messageId);
    expect(new Set(ids).size).toBe(5);
  });

  it('sends the same five by push, encrypted, with TTL, urgency and the workshop topic', () => {
    const got = push.received.filter((r) => r.path === '/push/mere');
    const payloads = got.map((r) => PushPayload.parse(JSON.parse(sub.decrypt(r.body))));
    expect(payloads.map((p) => p.kind)).toEqual(['invitation', 'reminder', 'reminder', 'last-call', 'feedback']);
    expect(payloads[0]!.url).toBe(`/workshops/${workshop}/survey`);
    expect(payloads[4]!.url).toBe(`/workshops/${workshop}`);
    expect(new Set(payloads.map((p) => p.tag)).size).toBe(5);
    for (const r of got) {
      expect(r.headers['content-encoding']).toBe('aes128gcm');
      expect(Number(r.headers.ttl)).toBeGreaterThan(0);
      expect(String(r.headers.authorization)).toMatch(/^vapid t=.+, k=.+/);
    }
    expect(new Set(got.map((r) => r.headers.topic)).size).toBe(1);
    expect(String(got[0]!.headers.topic)).toMatch(/^[A-Za-z0-9_-]{1,32}$/);
    expect(got.map((r) => r.headers.urgency)).toEqual(['normal', 'normal', 'normal', 'high', 'low']);
    // The invitation lives until the round closes (2027-01-02 12:00Z, sent 2026-12-12 00:00Z).
    expect(Number(got[0]!.headers.ttl)).toBe(21 * 86_400 + 12 * 3600);
  });

  it('sends everything at a civil hour on the participant clock and never before its time', () => {
    const zones: Record<string, string> = {
      'mere@example.org': 'Pacific/Fiji',
      'sione@example.org': 'Pacific/Tongatapu',
      'reza@example.org': 'Asia/Tehran',
    };
    for (const a of arrivals) {
      const local = new Date(a.at.getTime() + zoneOffsetMinutes(zones[a.to]!, a.at) * 60_000);
      expect(local.getUTCHours(), `${a.to} ${a.at.toISOString()}`).toBeGreaterThanOrEqual(9);
      expect(local.getUTCHours()).toBeLessThan(20);
    }
    // Survey opens 2026-12-12: 09:00 in Fiji is 2026-12-11 21:00Z, in Tonga 20:00Z.
    expect(mailsTo('mere@example.org')[0]!.at.getTime()).toBeGreaterThanOrEqual(Date.parse('2026-12-11T21:00:00Z'));
    expect(mailsTo('sione@example.org')[0]!.at.toISOString()).toBe('2026-12-12T00:00:00.000Z');
  });

  it('stops reminders once the participant replied, but still sends feedback', () => {
    expect(mailsTo('sione@example.org').map((m) => m.subject)).toEqual([
      'Six months on: how has Sub-regional Workshop on Data Analytics helped your work?',
      'What participants did after Sub-regional Workshop on Data Analytics',
    ]);
  });

  it('gives a participant with no enrolled phone a sign-in link, and an enrolled one the survey link', () => {
    const sione = smtp.received.find((m) => m.envelopeTo[0] === 'sione@example.org')!;
    expect(sione.parsed.text).toMatch(/https:\/\/vaka\.example\.org\/enrol#signin=vs_[A-Za-z0-9_-]{43}/);
    const mere = smtp.received.find((m) => m.envelopeTo[0] === 'mere@example.org')!;
    expect(mere.parsed.text).toContain(`https://vaka.example.org/workshops/${workshop}/survey`);
    expect(mere.parsed.text).not.toContain('signin=');
  });

  it('stops e-mail at once after a one-click unsubscribe', async () => {
    expect(mailsTo('reza@example.org')).toHaveLength(1);
    const jobs = (await service.list(workshop)).filter((s) => s.participantId === tehran);
    expect(jobs.map((s) => `${s.key}/${s.channel}/${s.state}`)).toEqual(['invitation/email/sent']);
    const reza = smtp.received.find((m) => m.envelopeTo[0] === 'reza@example.org')!;
    expect(reza.parsed.subject).toContain('شش ماه بعد');
    // Unsubscribing keeps the language they had (Persian, from their administration).
    expect(await service.preferences(tehran)).toMatchObject({ language: 'fa', channels: 'both' });
  });

  it('sends nothing for a round that closed before the feature first ran', async () => {
    expect(mailsTo('old@example.org')).toEqual([]);
    expect((await service.list()).filter((m) => m.participantId === historic)).toEqual([]);
  });

  it('lists each message as sent, and a second run at the same time sends nothing', async () => {
    const states = await service.list(workshop);
    expect(states.filter((s) => s.participantId === fiji).map((s) => `${s.key}/${s.channel}/${s.state}`)).toEqual([
      'invitation/email/sent',
      'invitation/push/sent',
      'reminder-7/email/sent',
      'reminder-7/push/sent',
      'reminder-2/email/sent',
      'reminder-2/push/sent',
      'last-call/email/sent',
      'last-call/push/sent',
      'feedback/email/sent',
      'feedback/push/sent',
    ]);
    const before = smtp.received.length;
    const report = await service.runDue(clock.now);
    expect(report).toEqual({ scheduled: 0, sent: 0, retrying: 0, failed: 0, cancelled: 0 });
    expect(smtp.received.length).toBe(before);
  });
});
