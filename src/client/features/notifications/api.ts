/**
 * The phone's side of /api/v1/messages: redeeming the single-use sign-in
 * link from an invitation e-mail (it enrols this phone like a code does),
 * the participant's channel choice, and this phone's Web Push subscription.
 * All but the sign-in need the device token, and a connection.
 */
import * as z from 'zod';
import { EnrollResponse } from '../../../shared/sync/protocol';
import { ChannelChoice, MessagePreferences, type MessageLanguage } from '../../../shared/schemas/messages';
import { getDb, readDeviceIdentity, type DeviceIdentity } from '../../../device/db/database';
import { storeIdentity } from '../../sync/enroll';

const BASE = '/api/v1/messages';
const SignInResponse = EnrollResponse.extend({ surveyPath: z.string().startsWith('/') });

export type SignInResult =
  { ok: true; identity: DeviceIdentity; surveyPath: string } | { ok: false; reason: 'spent' | 'offline' | 'unknown' };

/** Spends the link's token for a device identity, stored exactly as an enrolment stores it. */
export async function redeemSignInLink(token: string, deviceName: string): Promise<SignInResult> {
  let response: Response;
  try {
    response = await fetch(`${BASE}/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ token, deviceName }),
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch {
    return { ok: false, reason: 'offline' };
  }
  if (response.status === 404) return { ok: false, reason: 'spent' };
  const parsed = SignInResponse.safeParse(response.ok ? await response.json().catch(() => null) : null);
  if (!parsed.success) return { ok: false, reason: 'unknown' };
  const identity: DeviceIdentity = {
    key: 'device',
    deviceId: parsed.data.deviceId,
    deviceToken: parsed.data.deviceToken,
    participantId: parsed.data.participantId,
    workshopIds: parsed.data.workshopIds,
    enrolledAt: new Date().toISOString(),
  };
  await storeIdentity(getDb(), identity);
  void navigator.storage?.persist?.().catch(() => false);
  return { ok: true, identity, surveyPath: parsed.data.surveyPath };
}

async function authorized(path: string, init: RequestInit = {}): Promise<Response> {
  const identity = await readDeviceIdentity(getDb());
  if (!identity) throw new Error('This phone is not enrolled.');
  const response = await fetch(`${BASE}${path}`, {
    ...init,
    headers: {
      accept: 'application/json',
      ...(init.body ? { 'content-type': 'application/json' } : {}),
      authorization: `Bearer ${identity.deviceToken}`,
    },
    cache: 'no-store',
    credentials: 'omit',
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response;
}

export async function fetchPreferences(): Promise<MessagePreferences> {
  return MessagePreferences.parse(await (await authorized('/preferences')).json());
}

export async function savePreferences(channels: ChannelChoice, language: MessageLanguage): Promise<MessagePreferences> {
  const response = await authorized('/preferences', { method: 'PUT', body: JSON.stringify({ channels, language }) });
  return MessagePreferences.parse(await response.json());
}

/** VAPID keys travel base64url; PushManager.subscribe wants the raw bytes. */
function base64UrlBytes(value: string): Uint8Array<ArrayBuffer> {
  const base64 = value
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(value.length / 4) * 4, '=');
  const binary = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Asks for permission (call from a tap), subscribes with the server's key and tells the server. */
export async function enableNotifications(): Promise<'on' | 'denied' | 'unsupported'> {
  if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window))
    return 'unsupported';
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') return 'denied';
  const registration = await navigator.serviceWorker.ready;
  const { publicKey } = z
    .object({ publicKey: z.string() })
    .parse(await (await fetch(`${BASE}/vapid-public-key`, { cache: 'no-store' })).json());
  const subscription = await registration.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: base64UrlBytes(publicKey),
  });
  await authorized('/push-subscription', { method: 'PUT', body: JSON.stringify(subscription.toJSON()) });
  return 'on';
}

/** Whether this phone already has a push subscription. */
export async function notificationsEnabled(): Promise<boolean> {
  if (!('serviceWorker' in navigator) || !('PushManager' in window)) return false;
  const registration = await navigator.serviceWorker.getRegistration();
  return Boolean(await registration?.pushManager.getSubscription());
}

export async function disableNotifications(): Promise<void> {
  const registration = await navigator.serviceWorker.getRegistration();
  const subscription = await registration?.pushManager.getSubscription();
  if (!subscription) return;
  await authorized('/push-subscription', {
    method: 'DELETE',
    body: JSON.stringify({ endpoint: subscription.endpoint }),
  });
  await subscription.unsubscribe();
}
