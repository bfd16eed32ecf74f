/**
 * E-mail as the participant's mail program sees it, through a real SMTP
 * server: headers (Message-ID, RFC 8058 one-click unsubscribe, language),
 * the text in their language (Persian right to left), the one link that
 * opens the survey, no image; hashed single-use sign-in links; refusals and
 * outages turned into retries or a reason a coordinator can read.
 */
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMessageService, type MessageService } from '../../src/server/messages/service';
import { MAX_ATTEMPTS } from '../../src/server/messages/jobs';
import { MESSAGE_KINDS } from '../../src/shared/domain/message-schedule';
import { MessageLanguage } from '../../src/shared/schemas/messages';
import {
  DB_KINDS,
  addEnrolledDevice,
  addParticipant,
  addWorkshop,
  freshDb,
  startSmtp,
  type TestDb,
  type TestSmtp,
} from './support';

/** 12:00 in Fiji on the day the survey opens. */
const OPEN_DAY = new Date('2026-12-12T00:00:00Z');
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const hrefs = (html: string) => [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));

describe.each(DB_KINDS)('e-mail on %s', (kind) => {
  let t: TestDb;
  let smtp: TestSmtp;
  let service: MessageService;
  let workshop: string;
  const logged: string[] = [];

  beforeEach(async () => {
    t = await freshDb(kind);
    smtp = await startSmtp();
    workshop = await addWorkshop(t.handle);
    service = createMessageService({
      db: t.handle.db,
      dialect: t.handle.dialect,
      publicUrl: 'https://vaka.example.org/',
      smtpUrl: smtp.url,
      mailFrom: 'ROCB A/P <followup@example.org>',
      log: { info: (m) => logged.push(m), warn: (m) => logged.push(m) },
    });
    // The feature first runs before the round opens.
    await service.runDue(new Date('2026-12-01T00:00:00Z'));
  });

  afterEach(async () => {
    service.close();
    await smtp.close();
    await t.close();
  });

  it('writes a Persian invitation right to left, with one-click unsubscribe headers and a stable Message-ID', async () => {
    const p = await addParticipant(t.handle, workshop, {
      fullName: 'Reza Ahmadi',
      email: 'reza@example.org',
      memberCode: 'IR',
    });
    await addEnrolledDevice(t.handle, p);
    // 03:30 in Tehran: it waits for 09:00 there (05:30Z).
    await service.runDue(OPEN_DAY);
    expect(smtp.received).toHaveLength(0);
    await service.runDue(new Date('2026-12-12T05:29:00Z'));
    expect(smtp.received).toHaveLength(0);
    await service.runDue(new Date('2026-12-12T05:30:00Z'));
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    const job = await t.handle.db.selectFrom('message_jobs').selectAll().executeTakeFirstOrThrow();
    expect(mail.header('message-id')).toBe(job.message_id);
    expect(job.message_id).toMatch(/^<[0-9a-f-]{36}@vaka\.example\.org>$/);
    expect(mail.header('content-language')).toBe('fa');
    expect(mail.header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    const unsubscribe =
      /^<(https:\/\/vaka\.example\.org\/api\/v1\/messages\/unsubscribe\/(vu_[A-Za-z0-9_-]{43}))>$/.exec(
        mail.header('list-unsubscribe')!,
      );
    expect(unsubscribe).not.toBeNull();
    const html = String(mail.parsed.html);
    expect(html).toContain('<html lang="fa" dir="rtl">');
    expect(html).not.toMatch(/<img|<script|url\(/i);
    expect(hrefs(html)).toEqual([`https://vaka.example.org/workshops/${workshop}/survey`, unsubscribe![1]]);
    expect(mail.parsed.text).toContain(`https://vaka.example.org/workshops/${workshop}/survey`);
    expect(mail.parsed.text).toContain('Reza Ahmadi گرامی،');
    expect(mail.parsed.subject).toBe('شش ماه بعد: Sub-regional Workshop on Data Analytics چه کمکی به کار شما کرد؟');
    // The token is stored only as its hash.
    const tokens = await t.handle.db.selectFrom('message_tokens').selectAll().execute();
    expect(tokens.map((r) => r.token_hash)).toContain(sha256(unsubscribe![2]!));
    expect(JSON.stringify(tokens)).not.toContain(unsubscribe![2]!);
  });

  it('uses the translated workshop title for a participant who chose French', async () => {
    const p = await addParticipant(t.handle, workshop, { email: 'vu@example.org', memberCode: 'VU' });
    await service.setPreferences(p, { channels: 'email', language: 'fr' }, OPEN_DAY);
    await service.runDue(OPEN_DAY);
    expect(smtp.received[0]!.parsed.subject).toBe(
      'Six mois plus tard : qu’a apporté Atelier sous-régional sur l’analyse de données à votre travail ?',
    );
    expect(smtp.received[0]!.parsed.text).toContain('2 janvier 2027');
    expect(String(smtp.received[0]!.parsed.html)).toContain('<html lang="fr" dir="ltr">');
  });

  it('one-click unsubscribe needs no sign-in, works twice, cancels queued e-mail; an unknown token does nothing', async () => {
    const p = await addParticipant(t.handle, workshop, { email: 'a@example.org' });
    await service.runDue(OPEN_DAY);
    const token = /unsubscribe\/([^>]+)>/.exec(smtp.received[0]!.header('list-unsubscribe')!)![1]!;
    // A remind-now queued for tomorrow morning is cancelled at once by the unsubscribe.
    const night = new Date('2026-12-12T10:00:00Z');
    expect(await service.remindNow(p, workshop, night)).toEqual({ kind: 'queued', channels: ['email'] });
    expect(await service.unsubscribe(token, night)).toBe(true);
    expect(await service.unsubscribe(token, night)).toBe(true);
    expect(await service.unsubscribe('vu_nope', night)).toBe(false);
    expect((await service.preferences(p)).emailUnsubscribedAt).toBe(night.toISOString());
    const states = await service.list(workshop);
    expect(states.find((s) => s.kind === 'remind-now')).toMatchObject({
      state: 'cancelled',
      reason: 'Not sent: they unsubscribed from e-mail.',
    });
    await service.runDue(new Date('2026-12-26T00:00:00Z'));
    expect(smtp.received).toHaveLength(1);
    // Choosing e-mail again in settings lifts the unsubscribe.
    await service.setPreferences(p, { channels: 'both', language: 'en' }, new Date('2026-12-27T00:00:00Z'));
    await service.runDue(new Date('2026-12-31T00:00:00Z'));
    expect(smtp.received.map((m) => m.parsed.subject)).toHaveLength(2);
  });

  it('gives a participant with no phone a single-use sign-in link, hashed, valid until the round closes', async () => {
    const p = await addParticipant(t.handle, workshop, { email: 'b@example.org' });
    await service.runDue(OPEN_DAY);
    const link = /https:\/\/vaka\.example\.org\/enrol#signin=(vs_[A-Za-z0-9_-]{43})/.exec(
      smtp.received[0]!.parsed.text!,
    );
    expect(link).not.toBeNull();
    const token = link![1]!;
    const row = await t.handle.db
      .selectFrom('message_tokens')
      .selectAll()
      .where('purpose', '=', 'sign-in')
      .executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(sha256(token));
    // Due 2027-01-02, closes at midnight Fiji time (2027-01-02T12:00Z).
    expect(row.expires_at).toBe('2027-01-02T12:00:00.000Z');
    const at = new Date('2026-12-13T00:00:00Z');
    expect(await service.redeemSignIn(token, at)).toEqual({
      participantId: p,
      workshopId: workshop,
      surveyPath: `/workshops/${workshop}/survey`,
    });
    expect(await service.redeemSignIn(token, at)).toBeNull();
    expect(await service.redeemSignIn('vs_forged', at)).toBeNull();

    const late = await service.signInLink({ participantId: p, workshopId: workshop }, at);
    const lateToken = /signin=(.+)$/.exec(late!)![1]!;
    expect(await service.redeemSignIn(lateToken, new Date('2027-01-02T12:00:00Z'))).toBeNull();
    expect(
      await service.signInLink({ participantId: p, workshopId: workshop }, new Date('2027-01-03T00:00:00Z')),
    ).toBeNull();
  });

  it('fails at once with the server’s words when the address is refused (5xx)', async () => {
    await addParticipant(t.handle, workshop, { email: 'nobody@example.org' });
    smtp.onMessage = async () => {
      throw Object.assign(new Error('No such user here'), { responseCode: 550 });
    };
    const report = await service.runDue(OPEN_DAY);
    expect(report.failed).toBe(1);
    const [state] = await service.list(workshop);
    expect(state).toMatchObject({ state: 'failed', attempts: 1 });
    expect(state!.reason).toMatch(
      /^The mail server refused this e-mail \(the server said: 550 No such user here\)\. Check the address\.$/,
    );
  });

  it('retries a temporary refusal with growing waits, then gives up with a reason', async () => {
    await addParticipant(t.handle, workshop, { email: 'busy@example.org' });
    smtp.onMessage = async () => {
      throw Object.assign(new Error('Try again later'), { responseCode: 451 });
    };
    let at = OPEN_DAY.getTime();
    const waits: number[] = [];
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      await service.runDue(new Date(at));
      const [job] = await t.handle.db.selectFrom('message_jobs').selectAll().execute();
      expect(job!.attempts).toBe(i + 1);
      if (job!.state === 'failed') break;
      expect(job!.state).toBe('scheduled');
      expect(job!.reason).toMatch(/asked to try later.*Will try again\.$/);
      // Not retried before its time.
      await service.runDue(new Date(Date.parse(job!.next_attempt_at) - 1000));
      expect(smtp.received).toHaveLength(i + 1);
      waits.push(Date.parse(job!.next_attempt_at) - at);
      at = Date.parse(job!.next_attempt_at);
    }
    expect(waits).toEqual([5, 15, 45, 135].map((m) => m * 60_000));
    const [state] = await service.list(workshop);
    expect(state!.state).toBe('failed');
    expect(state!.reason).toMatch(/Gave up after 5 attempts\.$/);
    expect(smtp.received).toHaveLength(MAX_ATTEMPTS);
  });

  it('holds a retry that falls at night until 09:00 on the participant clock, without counting an attempt', async () => {
    await addParticipant(t.handle, workshop, { email: 'late@example.org' });
    smtp.onMessage = async () => {
      throw Object.assign(new Error('Try again later'), { responseCode: 451 });
    };
    // 19:50 in Fiji; the retries fall at 19:55 and 20:10.
    await service.runDue(new Date('2026-12-12T07:50:00Z'));
    await service.runDue(new Date('2026-12-12T07:55:00Z'));
    await service.runDue(new Date('2026-12-12T08:10:00Z'));
    const [job] = await t.handle.db.selectFrom('message_jobs').selectAll().execute();
    expect(job).toMatchObject({ state: 'scheduled', attempts: 2, next_attempt_at: '2026-12-12T21:00:00.000Z' });
    expect(smtp.received).toHaveLength(2);
    smtp.onMessage = async () => {};
    await service.runDue(new Date('2026-12-12T21:00:00Z'));
    expect(smtp.received).toHaveLength(3);
    expect((await service.list(workshop))[0]).toMatchObject({ state: 'sent', attempts: 3 });
  });

  it('retries when the mail server cannot be reached', async () => {
    await addParticipant(t.handle, workshop, { email: 'c@example.org' });
    await smtp.close();
    const report = await service.runDue(OPEN_DAY);
    expect(report.retrying).toBe(1);
    const [state] = await service.list(workshop);
    expect(state!.reason).toMatch(
      /^Could not reach the mail server \(connect ECONNREFUSED 127\.0\.0\.1:\d+\)\. Will try again\.$/,
    );
    smtp = await startSmtp();
  });

  it('without SMTP_URL sends no e-mail and says so once in the log', async () => {
    logged.length = 0;
    const quiet = createMessageService({
      db: t.handle.db,
      dialect: t.handle.dialect,
      publicUrl: 'http://localhost:3000',
      log: { info: (m) => logged.push(m), warn: (m) => logged.push(m) },
    });
    await addParticipant(t.handle, workshop, { email: 'd@example.org' });
    await quiet.runDue(OPEN_DAY);
    await quiet.runDue(new Date('2026-12-26T00:00:00Z'));
    expect(logged).toEqual(['SMTP_URL is not set: follow-up messages go out by Web Push only, no e-mail.']);
    expect(await quiet.list()).toEqual([]);
  });

  it('previews every message in every language, Persian right to left', () => {
    for (const lang of MessageLanguage.options) {
      for (const k of [...MESSAGE_KINDS, 'remind-now'] as const) {
        const m = service.preview(k, lang);
        expect(`${m.subject}${m.text}${m.html}`).not.toContain('{{');
        expect(m.subject.length).toBeGreaterThan(5);
        expect(m.text).toContain('Ana Soares');
        expect(m.dir).toBe(lang === 'fa' ? 'rtl' : 'ltr');
      }
    }
  });
});
