/**
 * Web Push in the service worker: the server's follow-up invitations,
 * reminders and feedback (server/messages/push.ts) arrive already written in
 * the participant's language (shared/schemas/messages.ts, PushPayload), and
 * show as a notification laid out in that language's direction. Tapping it
 * opens the survey, in an open Vaka window if there is one. A payload this
 * worker does not understand (a newer server) still shows a notice, because
 * a push subscribed with userVisibleOnly must always show one.
 */
/// <reference lib="WebWorker" />
import { PushPayload } from '../shared/schemas/messages';

const RTL = new Set(['fa']);

/** What a tap opens, kept on the notification. */
interface NotificationData {
  url: string;
}

function notificationOf(data: PushMessageData | null): { title: string; options: NotificationOptions } {
  let parsed: ReturnType<typeof PushPayload.safeParse> | null = null;
  try {
    parsed = PushPayload.safeParse(data?.json());
  } catch {
    parsed = null;
  }
  const icon = '/icons/icon-192.png';
  if (!parsed?.success)
    return {
      title: 'Vaka',
      options: { body: 'Open Vaka to see what is new.', icon, data: { url: '/' } satisfies NotificationData },
    };
  const p = parsed.data;
  return {
    title: p.title,
    options: {
      body: p.body,
      lang: p.lang,
      dir: RTL.has(p.lang) ? 'rtl' : 'ltr',
      tag: p.tag,
      icon,
      badge: icon,
      data: { url: p.url } satisfies NotificationData,
    },
  };
}

/** Opens `url` in an open Vaka window (focused) or a new one. */
async function openInApp(scope: ServiceWorkerGlobalScope, url: string): Promise<void> {
  const target = new URL(url, scope.location.origin);
  if (target.origin !== scope.location.origin) return;
  const windows = await scope.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const open = windows.find((w) => new URL(w.url).origin === target.origin);
  if (open) {
    const focused = await open.focus();
    await focused.navigate(target.href).catch(() => scope.clients.openWindow(target.href));
    return;
  }
  await scope.clients.openWindow(target.href);
}

export function registerPush(scope: ServiceWorkerGlobalScope): void {
  scope.addEventListener('push', (event: PushEvent) => {
    const { title, options } = notificationOf(event.data);
    event.waitUntil(scope.registration.showNotification(title, options));
  });

  scope.addEventListener('notificationclick', (event: NotificationEvent) => {
    event.notification.close();
    const data = event.notification.data as Partial<NotificationData> | null;
    event.waitUntil(openInApp(scope, typeof data?.url === 'string' ? data.url : '/'));
  });
}
