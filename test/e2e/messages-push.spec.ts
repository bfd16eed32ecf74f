/**
 * The service worker's push handler in Chromium: a push delivered through
 * CDP (ServiceWorker.deliverPushMessage, as a push service would) shows a
 * notification with the payload's title and text, in the participant's
 * language and direction (Persian right to left), tagged so a resent
 * reminder replaces its first copy, and carrying the survey address a tap
 * opens. A payload the worker does not understand still shows a notice.
 */
import { expect, test } from '@playwright/test';
import type { PushPayload } from '../../src/shared/schemas/messages';
import { waitForServiceWorker } from './helpers';

interface Shown {
  title: string;
  body: string;
  lang: string;
  dir: string;
  tag: string;
  data: { url?: string } | null;
}

test('a push shows the notification in the participant’s language, and one the worker cannot read a notice', async ({
  page,
  context,
  baseURL,
}) => {
  await context.grantPermissions(['notifications'], { origin: baseURL! });
  await page.goto('/');
  await waitForServiceWorker(page);
  const cdp = await context.newCDPSession(page);
  const registrations = new Promise<string>((resolve) => {
    cdp.on(
      'ServiceWorker.workerRegistrationUpdated',
      (e: { registrations: { registrationId: string; scopeURL: string; isDeleted: boolean }[] }) => {
        const live = e.registrations.find((r) => !r.isDeleted && r.scopeURL.startsWith(baseURL!));
        if (live) resolve(live.registrationId);
      },
    );
  });
  await cdp.send('ServiceWorker.enable');
  const registrationId = await registrations;

  const notifications = () =>
    page.evaluate(async () => {
      const registration = await navigator.serviceWorker.ready;
      return (await registration.getNotifications()).map((n) => ({
        title: n.title,
        body: n.body,
        lang: n.lang,
        dir: n.dir,
        tag: n.tag,
        data: n.data as { url?: string } | null,
      }));
    });
  const deliver = (data: string) =>
    cdp.send('ServiceWorker.deliverPushMessage', { origin: new URL(baseURL!).origin, registrationId, data });

  const payload: PushPayload = {
    v: 1,
    kind: 'reminder',
    title: 'کارگاه منطقه‌ای مدیریت ریسک',
    body: 'یادآوری: مهلت پرسش‌نامهٔ پیگیری ۱۲ دی ۱۴۰۵ است.',
    url: '/workshops/6f1c1b8e-3c1d-4c0e-9a51-0b8f0f3c2a10/survey',
    tag: 'a0b1c2d3-reminder-7',
    lang: 'fa',
  };
  await deliver(JSON.stringify(payload));
  await expect.poll(notifications, { timeout: 15_000 }).toHaveLength(1);
  const [shown] = (await notifications()) as Shown[];
  expect(shown).toEqual({
    title: payload.title,
    body: payload.body,
    lang: 'fa',
    dir: 'rtl',
    tag: payload.tag,
    data: { url: payload.url },
  });

  // The same message again (a retry) replaces the first copy instead of adding one.
  await deliver(JSON.stringify(payload));
  await page.waitForTimeout(500);
  expect(await notifications()).toHaveLength(1);

  await deliver('{"v":99,"something":"newer"}');
  await expect.poll(async () => (await notifications()).length, { timeout: 15_000 }).toBe(2);
  const generic = ((await notifications()) as Shown[]).find((n) => n.tag !== payload.tag)!;
  expect(generic).toMatchObject({ title: 'Vaka', data: { url: '/' } });
});
