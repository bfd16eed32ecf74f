/**
 * Web Push (RFC 8030, 8291, 8292) with the web-push library. The server's
 * VAPID key pair is created the first time it is needed and kept in the meta
 * table, so every instance signs with the same key and phones' subscriptions
 * survive restarts. Payloads are encrypted (aes128gcm) to each subscription's
 * keys; each push carries a TTL, an urgency and a per-workshop Topic so a
 * newer reminder replaces one the phone has not fetched yet. A subscription
 * the push service answers 404 or 410 for is gone for good and is removed.
 */
import { createHash } from 'node:crypto';
import type https from 'node:https';
import webpush from 'web-push';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { PushSubscriptionPayload, type PushPayload } from '../../shared/schemas/messages';
import type { SendOutcome } from './email';

const VAPID_KEY = 'messages.vapid';

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

/** The server's VAPID keys; the first caller creates them, concurrent first callers agree on one pair. */
export async function vapidKeys(db: Kysely<Database>): Promise<VapidKeys> {
  const read = async () => {
    const row = await db.selectFrom('meta').select('value').where('key', '=', VAPID_KEY).executeTakeFirst();
    return row ? (JSON.parse(row.value) as VapidKeys) : null;
  };
  const existing = await read();
  if (existing) return existing;
  const fresh = webpush.generateVAPIDKeys();
  await db
    .insertInto('meta')
    .values({ key: VAPID_KEY, value: JSON.stringify(fresh) })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  return (await read())!;
}

export async function savePushSubscription(
  db: Kysely<Database>,
  participantId: string,
  deviceId: string | null,
  input: unknown,
  now: Date,
): Promise<void> {
  const sub = PushSubscriptionPayload.parse(input);
  const values = {
    endpoint: sub.endpoint,
    participant_id: participantId,
    device_id: deviceId,
    p256dh: sub.keys.p256dh,
    auth: sub.keys.auth,
    created_at: now.toISOString(),
  };
  await db
    .insertInto('push_subscriptions')
    .values(values)
    .onConflict((oc) =>
      oc
        .column('endpoint')
        .doUpdateSet({ participant_id: participantId, device_id: deviceId, p256dh: values.p256dh, auth: values.auth }),
    )
    .execute();
}

export async function removePushSubscription(db: Kysely<Database>, endpoint: string): Promise<void> {
  await db.deleteFrom('push_subscriptions').where('endpoint', '=', endpoint).execute();
}

/** Push service Topic: at most 32 URL-safe base64 characters, one per workshop's round. */
export function pushTopic(workshopId: string): string {
  return createHash('sha256').update(`survey:${workshopId}`).digest('base64url').slice(0, 32);
}

export interface PushOptions {
  vapid: VapidKeys;
  /** mailto: or https: address push services may contact (RFC 8292). */
  subject: string;
  ttlSeconds: number;
  urgency: 'very-low' | 'low' | 'normal' | 'high';
  topic: string;
  /** Tests trust their own push endpoint's certificate through this. */
  agent?: https.Agent;
}

/**
 * Sends to every subscription of a participant. Ok when at least one push
 * service accepted; subscriptions answered 404/410 are removed on the way.
 */
export async function pushToParticipant(
  db: Kysely<Database>,
  participantId: string,
  payload: PushPayload,
  opts: PushOptions,
): Promise<SendOutcome> {
  const subs = await db
    .selectFrom('push_subscriptions')
    .selectAll()
    .where('participant_id', '=', participantId)
    .execute();
  if (subs.length === 0)
    return { ok: false, permanent: true, reason: 'No phone of this participant accepts notifications any more.' };
  let delivered = 0;
  let gone = 0;
  const problems: string[] = [];
  for (const s of subs) {
    try {
      await webpush.sendNotification(
        { endpoint: s.endpoint, keys: { p256dh: s.p256dh, auth: s.auth } },
        JSON.stringify(payload),
        {
          vapidDetails: { subject: opts.subject, publicKey: opts.vapid.publicKey, privateKey: opts.vapid.privateKey },
          TTL: opts.ttlSeconds,
          urgency: opts.urgency,
          topic: opts.topic,
          contentEncoding: 'aes128gcm',
          timeout: 60_000,
          ...(opts.agent ? { agent: opts.agent } : {}),
        },
      );
      delivered++;
    } catch (err) {
      const status = (err as { statusCode?: number }).statusCode;
      if (status === 404 || status === 410) {
        await removePushSubscription(db, s.endpoint);
        gone++;
      } else {
        problems.push(status ? `the push service answered ${status}` : String((err as Error).message));
      }
    }
  }
  if (delivered > 0) return { ok: true };
  if (gone === subs.length)
    return {
      ok: false,
      permanent: true,
      reason: 'The phone no longer accepts notifications (its subscription expired and was removed).',
    };
  return { ok: false, permanent: false, reason: `The notification could not be delivered (${problems.join('; ')}).` };
}
