/**
 * /api/v1/messages through the real app on SQLite and PostgreSQL, with a
 * real SMTP server: the invitation's one-click unsubscribe works without
 * sign-in (a GET only asks; an unknown token gets the same 200; the access
 * log never holds the token), its
 * single-use sign-in link enrols one phone and then gives nothing, a device
 * keeps its push subscription and channel choice, and the coordinator sees
 * every message's state, pauses, reminds (once a day), previews in Persian.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, startTestServer, type TestServer } from './harness';
import { coordinatorToken, enrol, issueCode } from './fixtures';
import { addParticipant, addWorkshop, startSmtp, type TestSmtp } from '../messages/support';
import { buildApp } from '../../src/server/app';
import { MessagePreferences, MessageState } from '../../src/shared/schemas/messages';

const SUBSCRIPTION = {
  endpoint: 'https://push.example.net/send/abc',
  keys: { p256dh: `B${'A'.repeat(86)}`, auth: 'AAAAAAAAAAAAAAAAAAAAAA' },
};

describe.each(DB_KINDS)('messages routes on %s', (kind) => {
  let s: TestServer;
  let smtp: TestSmtp;
  let coordinator: string;
  let workshop: string;
  let mere: string;
  let noAddress: string;

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const mailTo = (address: string) => smtp.received.find((m) => m.envelopeTo[0] === address)!;
  const preferencesOf = async (device: string) => {
    const res = await s.app.inject({ method: 'GET', url: '/api/v1/messages/preferences', headers: bearer(device) });
    expect(res.statusCode).toBe(200);
    return MessagePreferences.parse(res.json());
  };

  beforeAll(async () => {
    smtp = await startSmtp();
    s = await startTestServer(kind, { SMTP_URL: smtp.url, PUBLIC_URL: 'https://vaka.example.org' });
    workshop = await addWorkshop(s.database);
    mere = await addParticipant(s.database, workshop, { fullName: 'Mere Tuilau', email: 'mere@example.org' });
    noAddress = await addParticipant(s.database, workshop, { fullName: 'Sione Fifita', email: null });
    // The survey opened on 12 December; noon in Fiji is a civil hour.
    s.clock.now = new Date('2026-12-12T00:00:00Z');
    const report = await s.app.vaka.messages.runDue(s.clock.now);
    expect(report.sent).toBe(1);
    // Signed in on the moved clock, so the session is not idle since November.
    coordinator = await coordinatorToken(s);
  }, 120_000);

  afterAll(async () => {
    await s?.close();
    await smtp?.close();
  });

  it('sends the invitation with a sign-in link that enrols one phone once and opens the survey', async () => {
    const mail = mailTo('mere@example.org');
    const token = /#signin=([A-Za-z0-9_-]+)/.exec(mail.parsed.text ?? '')![1]!;
    expect(mail.parsed.text).toContain(`https://vaka.example.org/enrol#signin=${token}`);
    const first = await s.app.inject({
      method: 'POST',
      url: '/api/v1/messages/sign-in',
      payload: { token, deviceName: 'Mere’s phone' },
    });
    expect(first.statusCode).toBe(200);
    const body = first.json() as {
      deviceToken: string;
      participantId: string;
      surveyPath: string;
      workshopIds: string[];
    };
    expect(body).toMatchObject({ participantId: mere, surveyPath: `/workshops/${workshop}/survey` });
    expect(body.workshopIds).toEqual([workshop]);
    expect((await preferencesOf(body.deviceToken)).participantId).toBe(mere);
    const again = await s.app.inject({ method: 'POST', url: '/api/v1/messages/sign-in', payload: { token } });
    expect(again.statusCode).toBe(404);
    const unknown = await s.app.inject({
      method: 'POST',
      url: '/api/v1/messages/sign-in',
      payload: { token: 'vs_nope' },
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('asks on GET and unsubscribes on the one-click POST, with the same 200 for an unknown token', async () => {
    const code = await issueCode(s, coordinator, mere);
    const device = (await enrol(s, code)).token;
    const url = /<(https:[^>]+)>/.exec(mailTo('mere@example.org').header('list-unsubscribe')!)![1]!;
    const path = new URL(url).pathname;
    expect(mailTo('mere@example.org').header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');

    const page = await s.app.inject({ method: 'GET', url: path, headers: { 'accept-language': 'fa-IR,fa;q=0.9' } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('dir="rtl"');
    expect(page.body).toContain('<form method="post">');
    expect((await preferencesOf(device)).emailUnsubscribedAt).toBeNull();

    const post = await s.app.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(post.statusCode).toBe(200);
    expect((await preferencesOf(device)).emailUnsubscribedAt).toBe(s.clock.now.toISOString());

    const unknown = await s.app.inject({
      method: 'POST',
      url: '/api/v1/messages/unsubscribe/vu_unknown',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(unknown.statusCode).toBe(200);
    expect(unknown.body).toBe(post.body);

    // Choosing e-mail again in settings lifts the unsubscribe.
    const chosen = await s.app.inject({
      method: 'PUT',
      url: '/api/v1/messages/preferences',
      headers: bearer(device),
      payload: { channels: 'both', language: 'fr' },
    });
    expect(chosen.statusCode).toBe(200);
    expect(MessagePreferences.parse(chosen.json())).toMatchObject({ language: 'fr', emailUnsubscribedAt: null });
  });

  it('keeps the unsubscribe token out of the access log', async () => {
    const lines: string[] = [];
    const logged = await buildApp({
      database: s.database,
      config: { ...s.config, logLevel: 'info' },
      now: () => s.clock.now,
      logStream: { write: (line) => lines.push(line) },
    });
    try {
      const res = await logged.inject({
        method: 'POST',
        url: '/api/v1/messages/unsubscribe/vu_do-not-log-me?x=1',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'List-Unsubscribe=One-Click',
      });
      expect(res.statusCode).toBe(200);
    } finally {
      await logged.close();
    }
    const all = lines.join('');
    expect(all).toContain('/api/v1/messages/unsubscribe/[redacted]?x=1');
    expect(all).not.toContain('do-not-log-me');
  });

  it('keeps a device’s push subscription, gives the VAPID key, and refuses anyone but a device', async () => {
    const device = (await enrol(s, await issueCode(s, coordinator, mere))).token;
    const key = await s.app.inject({ method: 'GET', url: '/api/v1/messages/vapid-public-key' });
    expect(key.statusCode).toBe(200);
    expect((key.json() as { publicKey: string }).publicKey).toMatch(/^[A-Za-z0-9_-]{80,}$/);
    const put = await s.app.inject({
      method: 'PUT',
      url: '/api/v1/messages/push-subscription',
      headers: bearer(device),
      payload: SUBSCRIPTION,
    });
    expect(put.statusCode).toBe(204);
    const stored = () =>
      s.database.db
        .selectFrom('push_subscriptions')
        .select('participant_id')
        .where('endpoint', '=', SUBSCRIPTION.endpoint)
        .execute();
    expect(await stored()).toEqual([{ participant_id: mere }]);
    const del = await s.app.inject({
      method: 'DELETE',
      url: '/api/v1/messages/push-subscription',
      headers: bearer(device),
      payload: { endpoint: SUBSCRIPTION.endpoint },
    });
    expect(del.statusCode).toBe(204);
    expect(await stored()).toEqual([]);
    const anonymous = await s.app.inject({
      method: 'PUT',
      url: '/api/v1/messages/push-subscription',
      payload: SUBSCRIPTION,
    });
    expect(anonymous.statusCode).toBe(401);
    const asCoordinator = await s.app.inject({
      method: 'GET',
      url: '/api/v1/messages/preferences',
      headers: bearer(coordinator),
    });
    expect(asCoordinator.statusCode).toBe(403);
  });

  it('shows the coordinator each message, pauses and resumes, sets reminder days, publishes results', async () => {
    const list = await s.app.inject({
      method: 'GET',
      url: `/api/v1/messages?workshopId=${workshop}`,
      headers: bearer(coordinator),
    });
    expect(list.statusCode).toBe(200);
    const body = list.json() as { messages: unknown[]; settings: { reminderDays: number[]; paused: boolean } };
    const messages = body.messages.map((m) => MessageState.parse(m));
    expect(messages).toEqual([
      expect.objectContaining({ participantId: mere, kind: 'invitation', channel: 'email', state: 'sent' }),
    ]);
    expect(body.settings).toMatchObject({ reminderDays: [7, 2], paused: false });

    const post = (url: string) => s.app.inject({ method: 'POST', url, headers: bearer(coordinator) });
    expect((await post(`/api/v1/messages/workshops/${workshop}/pause`)).json()).toMatchObject({ paused: true });
    expect((await post(`/api/v1/messages/workshops/${workshop}/resume`)).json()).toMatchObject({ paused: false });
    const days = await s.app.inject({
      method: 'PUT',
      url: `/api/v1/messages/workshops/${workshop}/reminder-days`,
      headers: bearer(coordinator),
      payload: { reminderDays: [10, 3, 1] },
    });
    expect(days.json()).toMatchObject({ reminderDays: [10, 3, 1] });
    const twice = await s.app.inject({
      method: 'PUT',
      url: `/api/v1/messages/workshops/${workshop}/reminder-days`,
      headers: bearer(coordinator),
      payload: { reminderDays: [3, 3] },
    });
    expect(twice.statusCode).toBe(400);
    const published = await post(`/api/v1/messages/workshops/${workshop}/publish-results`);
    expect(published.json()).toMatchObject({ resultsPublishedAt: s.clock.now.toISOString() });
    expect((await post(`/api/v1/messages/workshops/${crypto.randomUUID()}/pause`)).statusCode).toBe(404);
  });

  it('reminds now once a day, says when nobody can be reached, and refuses devices', async () => {
    const remind = (participantId: string, token = coordinator) =>
      s.app.inject({
        method: 'POST',
        url: '/api/v1/messages/remind-now',
        headers: bearer(token),
        payload: { participantId, workshopId: workshop },
      });
    const first = await remind(mere);
    expect(first.statusCode).toBe(202);
    expect(first.json()).toEqual({ channels: ['email'] });
    expect((await remind(mere)).statusCode).toBe(429);
    expect((await remind(noAddress)).statusCode).toBe(409);
    expect((await remind(crypto.randomUUID())).statusCode).toBe(404);
    const device = (await enrol(s, await issueCode(s, coordinator, mere))).token;
    expect((await remind(mere, device)).statusCode).toBe(403);
  });

  it('previews each message in each language, Persian right to left', async () => {
    const res = await s.app.inject({
      method: 'GET',
      url: '/api/v1/messages/preview?kind=invitation&lang=fa',
      headers: bearer(coordinator),
    });
    expect(res.statusCode).toBe(200);
    const preview = res.json() as { subject: string; dir: string; html: string };
    expect(preview.dir).toBe('rtl');
    expect(preview.subject).toMatch(/[\u0600-\u06FF]/);
    const bad = await s.app.inject({
      method: 'GET',
      url: '/api/v1/messages/preview?kind=spam&lang=fa',
      headers: bearer(coordinator),
    });
    expect(bad.statusCode).toBe(400);
  });
});
