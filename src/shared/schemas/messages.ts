/**
 * The follow-up round's messages as the API answers them: a participant's
 * channel choice, the coordinator's per-workshop settings, the state of each
 * message per participant and channel, a phone's push subscription, and the
 * payload the service worker receives in a push event.
 */
import * as z from 'zod';
import { Id, Timestamp } from './common';
import { MESSAGE_KINDS } from '../domain/message-schedule';

export const MessageKind = z.enum(MESSAGE_KINDS);

/** Languages the message texts exist in (locales/<lng>/messages.json). */
export const MessageLanguage = z.enum(['en', 'fr', 'pt', 'fa']);
export type MessageLanguage = z.infer<typeof MessageLanguage>;

export const MessageChannel = z.enum(['email', 'push']);
export type MessageChannel = z.infer<typeof MessageChannel>;

/** What the participant chose in settings. */
export const ChannelChoice = z.enum(['push', 'email', 'both', 'none']);
export type ChannelChoice = z.infer<typeof ChannelChoice>;

export const MessagePreferences = z.object({
  participantId: Id,
  channels: ChannelChoice.default('both'),
  language: MessageLanguage.default('en'),
  /** Set by the one-click unsubscribe link; e-mail stays off until they choose it again. */
  emailUnsubscribedAt: Timestamp.nullable().default(null),
});
export type MessagePreferences = z.infer<typeof MessagePreferences>;

export const WorkshopMessageSettings = z.object({
  workshopId: Id,
  reminderDays: z
    .array(z.number().int().min(1).max(364))
    .max(6, { error: 'At most 6 reminders.' })
    .refine((d) => new Set(d).size === d.length, { error: 'Name each reminder day only once.' })
    .default([7, 2]),
  paused: z.boolean().default(false),
  resultsPublishedAt: Timestamp.nullable().default(null),
});
export type WorkshopMessageSettings = z.infer<typeof WorkshopMessageSettings>;

/**
 * scheduled: waiting for its time (or a retry); sending: handed to a channel
 * under a lease; sent; failed: given up, with a reason a person understands;
 * cancelled: no longer wanted (replied, unsubscribed, channel switched off).
 */
export const MessageJobState = z.enum(['scheduled', 'sending', 'sent', 'failed', 'cancelled']);
export type MessageJobState = z.infer<typeof MessageJobState>;

export const MessageState = z.object({
  id: Id,
  participantId: Id,
  workshopId: Id,
  kind: z.enum([...MESSAGE_KINDS, 'remind-now']),
  /** The schedule key: invitation, reminder-7, last-call, feedback, now-2026-12-20. */
  key: z.string().max(40),
  channel: MessageChannel,
  state: MessageJobState,
  sendAt: Timestamp,
  sentAt: Timestamp.nullable(),
  attempts: z.number().int().min(0),
  reason: z.string().nullable(),
});
export type MessageState = z.infer<typeof MessageState>;

/** A phone's Web Push subscription (PushSubscription.toJSON()). */
export const PushSubscriptionPayload = z.object({
  endpoint: z.url({ protocol: /^https$/, error: 'Must be the https endpoint of a push service.' }).max(2000),
  keys: z.object({
    p256dh: z.string().regex(/^[A-Za-z0-9_-]{80,100}$/, { error: 'Must be a base64url P-256 public key.' }),
    auth: z.string().regex(/^[A-Za-z0-9_-]{16,32}$/, { error: 'Must be a base64url auth secret.' }),
  }),
});
export type PushSubscriptionPayload = z.infer<typeof PushSubscriptionPayload>;

/** Bumped when the push payload changes shape, so an older worker can show a generic notice. */
export const PUSH_PAYLOAD_VERSION = 1;

/** What the service worker's push handler receives, already in the participant's language. */
export const PushPayload = z.object({
  v: z.literal(PUSH_PAYLOAD_VERSION),
  kind: MessageState.shape.kind,
  title: z.string().max(200),
  body: z.string().max(1000),
  /** Path inside the app that the notification opens. */
  url: z.string().startsWith('/'),
  /** Notification tag: a resent push replaces its first copy on the phone instead of adding one. */
  tag: z.string().max(64),
  lang: MessageLanguage,
});
export type PushPayload = z.infer<typeof PushPayload>;
