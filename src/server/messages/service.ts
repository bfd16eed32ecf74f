/**
 * The follow-up round's messages, as one service the routes, the operator
 * CLI and a timer call: turn the schedule (shared/domain/message-schedule.ts)
 * into durable jobs (jobs.ts), send the due ones by e-mail (email.ts) and
 * Web Push (push.ts), and answer the coordinator's and participant's
 * questions and choices. Time is always passed in, so a test or the CLI's
 * `send-due --at` can run a whole round on a fake clock.
 */
import { randomUUID } from 'node:crypto';
import type https from 'node:https';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { Dialect } from '../db/dialect';
import {
  dueMessages,
  nextCivilInstant,
  participantTimeZone,
  DEFAULT_REMINDER_DAYS,
} from '../../shared/domain/message-schedule';
import { surveyWindow } from '../../shared/domain/survey-window';
import { dateInZone } from '../../shared/domain/time-zones';
import { Workshop } from '../../shared/schemas/workshop';
import { Participant } from '../../shared/schemas/participant';
import { SurveyResponseFields } from '../../shared/schemas/followup';
import {
  ChannelChoice,
  MessageLanguage,
  MessagePreferences,
  MessageState,
  PUSH_PAYLOAD_VERSION,
  WorkshopMessageSettings,
  type MessageChannel,
} from '../../shared/schemas/messages';
import {
  MAX_ATTEMPTS,
  claimNext,
  enqueue,
  markCancelled,
  markDeferred,
  markFailedAttempt,
  markSent,
  recoverExpiredLeases,
  type JobRow,
} from './jobs';
import { createMailer, type Mailer, type SendOutcome } from './email';
import { pushToParticipant, pushTopic, savePushSubscription, vapidKeys } from './push';
import { previewMessage, renderMessage, type RenderedMessage, type TextKind } from './texts';
import {
  issueSignInToken,
  issueUnsubscribeToken,
  participantOfUnsubscribeToken,
  redeemSignInToken,
  type SignInGrant,
} from './tokens';

const STARTED_KEY = 'messages.started_at';

/** Until a participant picks one, the language their administration most likely reads (else English). */
const LANGUAGE_BY_ADMINISTRATION: Readonly<Record<string, MessageLanguage>> = { IR: 'fa', AF: 'fa', TL: 'pt' };

export interface MessageLog {
  info(msg: string): void;
  warn(msg: string): void;
}

export interface MessageServiceOptions {
  db: Kysely<Database>;
  dialect: Dialect;
  /** The address in every link the server writes (PUBLIC_URL). */
  publicUrl: string;
  /** smtp://[user:pass@]host:port; null or empty: no e-mail. */
  smtpUrl?: string | null;
  mailFrom?: string | null;
  log?: MessageLog;
  /** Names this instance's leases; random by default. */
  instanceId?: string;
  /** Tests trust their own push endpoint's certificate through this. */
  pushAgent?: https.Agent;
}

export interface RunReport {
  scheduled: number;
  sent: number;
  retrying: number;
  failed: number;
  cancelled: number;
}

export type RemindNowOutcome =
  | { kind: 'queued'; channels: MessageChannel[] }
  | { kind: 'already-today' }
  | { kind: 'no-channel' }
  | { kind: 'not-found' };

interface Recipient {
  participant: Participant;
  prefs: MessagePreferences;
  zone: string;
}

const silent: MessageLog = { info: () => {}, warn: () => {} };

export function createMessageService(opts: MessageServiceOptions) {
  const { db, dialect } = opts;
  const log = opts.log ?? silent;
  const origin = opts.publicUrl.replace(/\/+$/, '');
  const host = new URL(origin).hostname;
  const owner = opts.instanceId ?? randomUUID();
  let mailer: Mailer | null = null;
  if (opts.smtpUrl) mailer = createMailer(opts.smtpUrl, opts.mailFrom || `Vaka <vaka@${host}>`);
  else log.info('SMTP_URL is not set: follow-up messages go out by Web Push only, no e-mail.');
  const vapidSubject = opts.mailFrom
    ? `mailto:${/<([^>]+)>/.exec(opts.mailFrom)?.[1] ?? opts.mailFrom}`
    : origin.startsWith('https:')
      ? origin
      : `mailto:vaka@${host}`;

  const surveyUrl = (workshopId: string) => `${origin}/workshops/${workshopId}/survey`;
  const resultsUrl = (workshopId: string) => `${origin}/workshops/${workshopId}`;
  const unsubscribeUrl = (token: string) => `${origin}/api/v1/messages/unsubscribe/${token}`;
  /** In the fragment, like enrolment links: browsers never send it to a server or a log. */
  const signInUrl = (token: string) => `${origin}/enrol#signin=${token}`;

  async function featureStartedAt(now: Date): Promise<Date> {
    await db
      .insertInto('meta')
      .values({ key: STARTED_KEY, value: now.toISOString() })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    const row = await db.selectFrom('meta').select('value').where('key', '=', STARTED_KEY).executeTakeFirstOrThrow();
    return new Date(row.value);
  }

  async function liveData(collection: string, ids: readonly string[]): Promise<Map<string, unknown>> {
    if (ids.length === 0) return new Map();
    const rows = await db
      .selectFrom('records')
      .select(['id', 'data'])
      .where('collection', '=', collection)
      .where('deleted', '=', 0)
      .where('id', 'in', ids)
      .execute();
    return new Map(rows.map((r) => [r.id, JSON.parse(r.data) as unknown]));
  }

  async function workshopsById(ids?: readonly string[]): Promise<Map<string, Workshop>> {
    let q = db
      .selectFrom('records')
      .select(['id', 'data'])
      .where('collection', '=', 'workshops')
      .where('deleted', '=', 0);
    if (ids) {
      if (ids.length === 0) return new Map();
      q = q.where('id', 'in', ids);
    }
    const out = new Map<string, Workshop>();
    for (const r of await q.execute()) {
      const w = Workshop.safeParse(JSON.parse(r.data));
      if (w.success && w.data.status === 'published') out.set(r.id, w.data);
    }
    return out;
  }

  async function settingsOf(workshopId: string): Promise<WorkshopMessageSettings> {
    const row = await db
      .selectFrom('message_workshops')
      .selectAll()
      .where('workshop_id', '=', workshopId)
      .executeTakeFirst();
    return WorkshopMessageSettings.parse({
      workshopId,
      reminderDays: row ? (JSON.parse(row.reminder_days) as number[]) : [...DEFAULT_REMINDER_DAYS],
      paused: Boolean(row?.paused_at),
      resultsPublishedAt: row?.results_published_at ?? null,
    });
  }

  async function writeSettings(s: WorkshopMessageSettings, pausedAt: string | null): Promise<void> {
    const values = {
      workshop_id: s.workshopId,
      reminder_days: JSON.stringify(s.reminderDays),
      paused_at: pausedAt,
      results_published_at: s.resultsPublishedAt,
    };
    await db
      .insertInto('message_workshops')
      .values(values)
      .onConflict((oc) =>
        oc.column('workshop_id').doUpdateSet({
          reminder_days: values.reminder_days,
          paused_at: values.paused_at,
          results_published_at: values.results_published_at,
        }),
      )
      .execute();
  }

  async function preferencesOf(participantIds: readonly string[], participants: Map<string, Participant>) {
    const rows =
      participantIds.length === 0
        ? []
        : await db
            .selectFrom('message_preferences')
            .selectAll()
            .where('participant_id', 'in', participantIds)
            .execute();
    const byId = new Map(rows.map((r) => [r.participant_id, r]));
    const out = new Map<string, MessagePreferences>();
    for (const id of participantIds) {
      const r = byId.get(id);
      const member = participants.get(id)?.memberCode ?? '';
      out.set(
        id,
        MessagePreferences.parse({
          participantId: id,
          channels: r?.channels ?? 'both',
          language: r?.language ?? LANGUAGE_BY_ADMINISTRATION[member] ?? 'en',
          emailUnsubscribedAt: r?.email_unsubscribed_at ?? null,
        }),
      );
    }
    return out;
  }

  async function recipient(participantId: string, workshop: Workshop): Promise<Recipient | null> {
    const data = (await liveData('participants', [participantId])).get(participantId);
    const parsed = Participant.safeParse(data);
    if (!parsed.success) return null;
    const participants = new Map([[participantId, parsed.data]]);
    const prefs = (await preferencesOf([participantId], participants)).get(participantId)!;
    return { participant: parsed.data, prefs, zone: participantTimeZone(parsed.data.memberCode, workshop.timeZone) };
  }

  /** First submitted reply per participant of a workshop. */
  async function repliesOf(workshopId: string): Promise<Map<string, Date>> {
    const rows = await db
      .selectFrom('records')
      .select('data')
      .where('collection', '=', 'surveyResponses')
      .where('workshop_id', '=', workshopId)
      .where('deleted', '=', 0)
      .execute();
    const out = new Map<string, Date>();
    for (const r of rows) {
      const s = SurveyResponseFields.safeParse(JSON.parse(r.data));
      if (!s.success || s.data.status !== 'submitted' || !s.data.submittedAt) continue;
      const at = new Date(s.data.submittedAt);
      const prev = out.get(s.data.participantId);
      if (!prev || at < prev) out.set(s.data.participantId, at);
    }
    return out;
  }

  async function pushReachable(participantIds: readonly string[]): Promise<Set<string>> {
    if (participantIds.length === 0) return new Set();
    const rows = await db
      .selectFrom('push_subscriptions')
      .select('participant_id')
      .where('participant_id', 'in', participantIds)
      .execute();
    return new Set(rows.map((r) => r.participant_id));
  }

  /** The channels they chose that can reach them (an address and SMTP; a subscribed phone). */
  function channelsFor(r: Recipient, hasPush: boolean): MessageChannel[] {
    const out: MessageChannel[] = [];
    const c = r.prefs.channels;
    if ((c === 'email' || c === 'both') && r.participant.email && mailer) out.push('email');
    if ((c === 'push' || c === 'both') && hasPush) out.push('push');
    return out;
  }

  /** One-click unsubscribe is an e-mail matter (RFC 8058); notifications are switched off in settings. */
  const unsubscribedAt = (r: Recipient, channel: MessageChannel) =>
    channel === 'email' && r.prefs.emailUnsubscribedAt ? new Date(r.prefs.emailUnsubscribedAt) : null;

  /** Writes a job for every message that is due at `now` and has none yet. */
  async function schedule(now: Date): Promise<number> {
    const startedAt = await featureStartedAt(now);
    const workshops = await workshopsById();
    let created = 0;
    for (const workshop of workshops.values()) {
      const roster = await db
        .selectFrom('roster')
        .select('participant_id')
        .where('workshop_id', '=', workshop.id)
        .execute();
      const ids = roster.map((r) => r.participant_id);
      if (ids.length === 0) continue;
      // Recorded on every run, paused or not, so "added at" is when they joined, not when sending resumed.
      await db
        .insertInto('message_roster_seen')
        .values(ids.map((id) => ({ workshop_id: workshop.id, participant_id: id, first_seen_at: now.toISOString() })))
        .onConflict((oc) => oc.columns(['workshop_id', 'participant_id']).doNothing())
        .execute();
      const settings = await settingsOf(workshop.id);
      if (settings.paused || now < surveyWindow(workshop, now).opensAt) continue;
      const seen = new Map(
        (
          await db
            .selectFrom('message_roster_seen')
            .select(['participant_id', 'first_seen_at'])
            .where('workshop_id', '=', workshop.id)
            .execute()
        ).map((r) => [r.participant_id, new Date(r.first_seen_at)]),
      );
      const participants = new Map<string, Participant>();
      for (const [id, data] of await liveData('participants', ids)) {
        const p = Participant.safeParse(data);
        if (p.success) participants.set(id, p.data);
      }
      const prefs = await preferencesOf(ids, participants);
      const replies = await repliesOf(workshop.id);
      const withPush = await pushReachable(ids);
      // A message already scheduled in an earlier run reached them by the channels they had then; a
      // channel switched on since does not replay it (no invitation by e-mail on reminder day).
      const earlier = new Set(
        (
          await db
            .selectFrom('message_jobs')
            .select(['participant_id', 'key'])
            .where('workshop_id', '=', workshop.id)
            .where('created_at', '<', now.toISOString())
            .execute()
        ).map((j) => `${j.participant_id}|${j.key}`),
      );
      for (const [id, participant] of participants) {
        const r: Recipient = {
          participant,
          prefs: prefs.get(id)!,
          zone: participantTimeZone(participant.memberCode, workshop.timeZone),
        };
        for (const channel of channelsFor(r, withPush.has(id))) {
          const due = dueMessages(
            {
              workshop,
              reminderDays: settings.reminderDays,
              timeZone: r.zone,
              addedAt: seen.get(id) ?? now,
              featureStartedAt: startedAt,
              repliedAt: replies.get(id) ?? null,
              unsubscribedAt: unsubscribedAt(r, channel),
              resultsPublishedAt: settings.resultsPublishedAt ? new Date(settings.resultsPublishedAt) : null,
            },
            now,
          );
          for (const m of due) {
            if (earlier.has(`${id}|${m.key}`)) continue;
            const job = {
              participantId: id,
              workshopId: workshop.id,
              kind: m.kind,
              key: m.key,
              channel,
              sendAt: m.sendAt,
              notBefore: nextCivilInstant(now, r.zone),
              messageIdHost: host,
            };
            if (await enqueue(db, job, now)) created++;
          }
        }
      }
    }
    return created;
  }

  /** Why a claimed job should no longer go out, or null to send it. */
  async function staleReason(job: JobRow, r: Recipient, workshopId: string): Promise<string | null> {
    const nudge = job.kind === 'reminder' || job.kind === 'last-call' || job.kind === 'remind-now';
    if (nudge) {
      const replied = (await repliesOf(workshopId)).get(job.participant_id);
      if (replied) return `Not sent: they replied on ${replied.toISOString().slice(0, 10)}.`;
    }
    const c = r.prefs.channels;
    if (job.channel === 'email') {
      if (r.prefs.emailUnsubscribedAt) return 'Not sent: they unsubscribed from e-mail.';
      if (c === 'push' || c === 'none') return 'Not sent: they switched e-mail off in their settings.';
      if (!r.participant.email) return 'Not sent: no e-mail address.';
    } else if (c === 'email' || c === 'none') return 'Not sent: they switched notifications off in their settings.';
    return null;
  }

  async function hasEnrolledDevice(participantId: string): Promise<boolean> {
    const row = await db
      .selectFrom('devices')
      .select('id')
      .where('participant_id', '=', participantId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Boolean(row);
  }

  async function deliver(job: JobRow, workshop: Workshop, r: Recipient, now: Date): Promise<SendOutcome> {
    const kind = job.kind as TextKind;
    const window = surveyWindow(workshop, now);
    const title = workshop.translations[r.prefs.language]?.title || workshop.title;
    if (job.channel === 'email') {
      if (!mailer) return { ok: false, permanent: true, reason: 'E-mail is not configured on the server (SMTP_URL).' };
      // Someone with no enrolled phone gets a single-use sign-in link in place of the plain survey link.
      const signIn = kind !== 'feedback' && now < window.dueAt && !(await hasEnrolledDevice(job.participant_id));
      const actionUrl =
        kind === 'feedback'
          ? resultsUrl(workshop.id)
          : signIn
            ? signInUrl(
                await issueSignInToken(
                  db,
                  { participantId: job.participant_id, workshopId: workshop.id },
                  window.dueAt,
                  now,
                ),
              )
            : surveyUrl(workshop.id);
      const unsubscribe = unsubscribeUrl(await issueUnsubscribeToken(db, job.participant_id, now));
      const rendered = renderMessage({
        kind,
        lang: r.prefs.language,
        name: r.participant.fullName,
        workshopTitle: title,
        dueOn: window.dueOn,
        actionUrl,
        signIn,
        unsubscribeUrl: unsubscribe,
      });
      return mailer.send({
        to: r.participant.email!,
        messageId: job.message_id,
        lang: r.prefs.language,
        rendered,
        unsubscribeUrl: unsubscribe,
      });
    }
    const rendered = renderMessage({
      kind,
      lang: r.prefs.language,
      name: r.participant.fullName,
      workshopTitle: title,
      dueOn: window.dueOn,
      actionUrl: surveyUrl(workshop.id),
      signIn: false,
      unsubscribeUrl: null,
    });
    const nudgeTtl = Math.floor((window.dueAt.getTime() - now.getTime()) / 1000);
    return pushToParticipant(
      db,
      job.participant_id,
      {
        v: PUSH_PAYLOAD_VERSION,
        kind,
        title: rendered.push.title,
        body: rendered.push.body,
        url: kind === 'feedback' ? `/workshops/${workshop.id}` : `/workshops/${workshop.id}/survey`,
        tag: job.id,
        lang: r.prefs.language,
      },
      {
        vapid: await vapidKeys(db),
        subject: vapidSubject,
        // A nudge is worthless once the round closed; feedback keeps a week. Push services cap at 28 days.
        ttlSeconds: Math.min(28 * 86_400, kind === 'feedback' ? 7 * 86_400 : Math.max(3600, nudgeTtl)),
        urgency: kind === 'last-call' ? 'high' : kind === 'feedback' ? 'low' : 'normal',
        topic: pushTopic(workshop.id),
        ...(opts.pushAgent ? { agent: opts.pushAgent } : {}),
      },
    );
  }

  async function handle(job: JobRow, now: Date, report: RunReport): Promise<void> {
    const workshop = (await workshopsById([job.workshop_id])).get(job.workshop_id);
    const r = workshop ? await recipient(job.participant_id, workshop) : null;
    if (!workshop || !r) {
      await markCancelled(db, job, owner, 'Not sent: the workshop or participant no longer exists.', now);
      report.cancelled++;
      return;
    }
    // Retries and recovered jobs become due at any hour; none goes out at night on the participant's clock.
    const civil = nextCivilInstant(now, r.zone);
    if (civil > now) {
      await markDeferred(db, job, owner, civil, now);
      return;
    }
    const stale = await staleReason(job, r, workshop.id);
    if (stale) {
      await markCancelled(db, job, owner, stale, now);
      report.cancelled++;
      return;
    }
    let outcome: SendOutcome;
    try {
      outcome = await deliver(job, workshop, r, now);
    } catch (err) {
      outcome = {
        ok: false,
        permanent: false,
        reason: `Vaka could not prepare the message (${(err as Error).message}).`,
      };
    }
    if (outcome.ok) {
      await markSent(db, job, owner, now);
      report.sent++;
      return;
    }
    log.warn(`Message ${job.key} by ${job.channel} to ${job.participant_id}: ${outcome.reason}`);
    await markFailedAttempt(db, job, owner, outcome, now);
    if (outcome.permanent || job.attempts >= MAX_ATTEMPTS) report.failed++;
    else report.retrying++;
  }

  const toState = (j: JobRow): MessageState =>
    MessageState.parse({
      id: j.id,
      participantId: j.participant_id,
      workshopId: j.workshop_id,
      kind: j.kind,
      key: j.key,
      channel: j.channel,
      state: j.state,
      sendAt: j.send_at,
      sentAt: j.sent_at,
      attempts: j.attempts,
      reason: j.reason,
    });

  async function cancelQueued(participantId: string, channels: MessageChannel[], reason: string, now: Date) {
    if (channels.length === 0) return;
    await db
      .updateTable('message_jobs')
      .set({ state: 'cancelled', reason, updated_at: now.toISOString() })
      .where('participant_id', '=', participantId)
      .where('state', '=', 'scheduled')
      .where('channel', 'in', channels)
      .execute();
  }

  return {
    /**
     * Runs the schedule once as if at `now`: recovers abandoned leases,
     * writes the jobs that fell due, sends every job due by then. A second
     * run at the same time finds every job already written and settled.
     */
    async runDue(now: Date): Promise<RunReport> {
      const report: RunReport = { scheduled: 0, sent: 0, retrying: 0, failed: 0, cancelled: 0 };
      await recoverExpiredLeases(db, now);
      report.scheduled = await schedule(now);
      for (;;) {
        const job = await claimNext(db, dialect, owner, now);
        if (!job) break;
        await handle(job, now, report);
      }
      return report;
    },

    async list(workshopId?: string): Promise<MessageState[]> {
      let q = db.selectFrom('message_jobs').selectAll().orderBy('send_at').orderBy('participant_id').orderBy('channel');
      if (workshopId) q = q.where('workshop_id', '=', workshopId);
      return (await q.execute()).map(toState);
    },

    /** A message as a participant would get it, with sample names and links. */
    preview: (kind: TextKind, lang: MessageLanguage): RenderedMessage => previewMessage(kind, lang, origin),

    /** A coordinator's nudge outside the schedule: at most one a day per participant, whatever the workshop. */
    async remindNow(participantId: string, workshopId: string, now: Date): Promise<RemindNowOutcome> {
      const workshop = (await workshopsById([workshopId])).get(workshopId);
      const r = workshop ? await recipient(participantId, workshop) : null;
      const onRoster = await db
        .selectFrom('roster')
        .select('participant_id')
        .where('workshop_id', '=', workshopId)
        .where('participant_id', '=', participantId)
        .executeTakeFirst();
      if (!workshop || !r || !onRoster) return { kind: 'not-found' };
      const dayAgo = new Date(now.getTime() - 86_400_000).toISOString();
      const recent = await db
        .selectFrom('message_jobs')
        .select('id')
        .where('participant_id', '=', participantId)
        .where('kind', '=', 'remind-now')
        .where('created_at', '>', dayAgo)
        .executeTakeFirst();
      if (recent) return { kind: 'already-today' };
      const channels = channelsFor(r, (await pushReachable([participantId])).has(participantId)).filter(
        (c) => !unsubscribedAt(r, c),
      );
      if (channels.length === 0) return { kind: 'no-channel' };
      const queued: MessageChannel[] = [];
      for (const channel of channels) {
        const created = await enqueue(
          db,
          {
            participantId,
            workshopId,
            kind: 'remind-now',
            key: `now-${dateInZone(now, r.zone)}`,
            channel,
            sendAt: now,
            notBefore: nextCivilInstant(now, r.zone),
            messageIdHost: host,
          },
          now,
        );
        if (created) queued.push(channel);
      }
      return queued.length ? { kind: 'queued', channels: queued } : { kind: 'already-today' };
    },

    settings: settingsOf,

    async pause(workshopId: string, now: Date): Promise<void> {
      await writeSettings(await settingsOf(workshopId), now.toISOString());
    },

    async resume(workshopId: string): Promise<void> {
      await writeSettings(await settingsOf(workshopId), null);
    },

    async setReminderDays(workshopId: string, days: number[]): Promise<WorkshopMessageSettings> {
      const current = await settingsOf(workshopId);
      const next = WorkshopMessageSettings.parse({ ...current, reminderDays: days });
      const row = await db
        .selectFrom('message_workshops')
        .select('paused_at')
        .where('workshop_id', '=', workshopId)
        .executeTakeFirst();
      await writeSettings(next, row?.paused_at ?? null);
      return next;
    },

    /** The coordinator published the round's results: feedback falls due for everyone on the roster. */
    async publishResults(workshopId: string, now: Date): Promise<void> {
      const current = await settingsOf(workshopId);
      if (current.resultsPublishedAt) return;
      const row = await db
        .selectFrom('message_workshops')
        .select('paused_at')
        .where('workshop_id', '=', workshopId)
        .executeTakeFirst();
      await writeSettings({ ...current, resultsPublishedAt: now.toISOString() }, row?.paused_at ?? null);
    },

    /** One-click unsubscribe (RFC 8058): e-mail stops at once, queued e-mails are cancelled. False for an unknown token. */
    async unsubscribe(token: string, now: Date): Promise<boolean> {
      const participantId = await participantOfUnsubscribeToken(db, token);
      if (!participantId) return false;
      const prefs = await preferencesFor(participantId);
      const at = prefs.emailUnsubscribedAt ?? now.toISOString();
      await savePreferences({ ...prefs, emailUnsubscribedAt: at }, now);
      await cancelQueued(participantId, ['email'], 'Not sent: they unsubscribed from e-mail.', now);
      return true;
    },

    preferences: preferencesFor,

    /**
     * The participant's own choice in settings. Choosing e-mail again lifts an
     * earlier one-click unsubscribe; switching a channel off cancels what is queued on it.
     */
    async setPreferences(
      participantId: string,
      input: { channels: ChannelChoice; language: MessageLanguage },
      now: Date,
    ): Promise<MessagePreferences> {
      const channels = ChannelChoice.parse(input.channels);
      const language = MessageLanguage.parse(input.language);
      const current = await preferencesFor(participantId);
      const wantsEmail = channels === 'email' || channels === 'both';
      const next = MessagePreferences.parse({
        participantId,
        channels,
        language,
        emailUnsubscribedAt: wantsEmail ? null : current.emailUnsubscribedAt,
      });
      await savePreferences(next, now);
      const off: MessageChannel[] = [];
      if (!wantsEmail) off.push('email');
      if (channels !== 'push' && channels !== 'both') off.push('push');
      await cancelQueued(participantId, off, 'Not sent: they switched this channel off in their settings.', now);
      return next;
    },

    /** Issues a single-use sign-in link to the survey, valid until the round closes. */
    async signInLink(grant: SignInGrant, now: Date): Promise<string | null> {
      const workshop = (await workshopsById([grant.workshopId])).get(grant.workshopId);
      if (!workshop) return null;
      const { dueAt } = surveyWindow(workshop, now);
      if (now >= dueAt) return null;
      return signInUrl(await issueSignInToken(db, grant, dueAt, now));
    },

    /** Spends a sign-in token; the route then enrols the opening device and opens `surveyPath`. */
    async redeemSignIn(token: string, now: Date): Promise<(SignInGrant & { surveyPath: string }) | null> {
      const grant = await redeemSignInToken(db, token, now);
      return grant ? { ...grant, surveyPath: `/workshops/${grant.workshopId}/survey` } : null;
    },

    async vapidPublicKey(): Promise<string> {
      return (await vapidKeys(db)).publicKey;
    },

    savePushSubscription: (participantId: string, deviceId: string | null, input: unknown, now: Date) =>
      savePushSubscription(db, participantId, deviceId, input, now),

    /** The phone switched notifications off: only its own participant's subscription goes. */
    async removePushSubscription(participantId: string, endpoint: string): Promise<void> {
      await db
        .deleteFrom('push_subscriptions')
        .where('endpoint', '=', endpoint)
        .where('participant_id', '=', participantId)
        .execute();
    },

    close(): void {
      mailer?.close();
    },
  };

  async function preferencesFor(participantId: string): Promise<MessagePreferences> {
    const data = (await liveData('participants', [participantId])).get(participantId);
    const p = Participant.safeParse(data);
    const participants = new Map(p.success ? [[participantId, p.data]] : []);
    return (await preferencesOf([participantId], participants)).get(participantId)!;
  }

  async function savePreferences(p: MessagePreferences, now: Date): Promise<void> {
    const values = {
      participant_id: p.participantId,
      channels: p.channels,
      language: p.language,
      email_unsubscribed_at: p.emailUnsubscribedAt,
      updated_at: now.toISOString(),
    };
    await db
      .insertInto('message_preferences')
      .values(values)
      .onConflict((oc) =>
        oc.column('participant_id').doUpdateSet({
          channels: values.channels,
          language: values.language,
          email_unsubscribed_at: values.email_unsubscribed_at,
          updated_at: values.updated_at,
        }),
      )
      .execute();
  }
}

export type MessageService = ReturnType<typeof createMessageService>;
