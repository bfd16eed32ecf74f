/**
 * The words of each message, in the participant's language, from
 * locales/<lng>/messages.json (the same files the app's translators edit).
 * E-mail gets plain text and HTML; the HTML carries no image, no tracking
 * pixel and no script, and Persian is laid out right to left.
 */
import { readFileSync } from 'node:fs';
import { createInstance, type TFunction } from 'i18next';
import { MessageLanguage } from '../../shared/schemas/messages';
import type { MessageState } from '../../shared/schemas/messages';

export type TextKind = MessageState['kind'];

const LOCALES = new URL('../../../locales/', import.meta.url);
const RTL = new Set<MessageLanguage>(['fa']);

let translator: TFunction | null = null;

/** One i18next instance for every language; read once, on first use. */
function t(): TFunction {
  if (translator) return translator;
  const resources: Record<string, { messages: object }> = {};
  for (const lng of MessageLanguage.options) {
    resources[lng] = { messages: JSON.parse(readFileSync(new URL(`${lng}/messages.json`, LOCALES), 'utf8')) as object };
  }
  const i18n = createInstance();
  // initAsync false: resources are given inline, so init finishes before it returns.
  void i18n.init({
    resources,
    ns: ['messages'],
    defaultNS: 'messages',
    fallbackLng: 'en',
    initAsync: false,
    // Texts are escaped where they are put into HTML, not here: the plain-text part must stay as typed.
    interpolation: { escapeValue: false },
  });
  translator = i18n.t;
  return translator;
}

export interface MessageContext {
  kind: TextKind;
  lang: MessageLanguage;
  name: string;
  workshopTitle: string;
  /** The survey's due date, a calendar date in the workshop's zone. */
  dueOn: string;
  /** Where the button leads: the survey, the results, or a single-use sign-in link to the survey. */
  actionUrl: string;
  /** Whether actionUrl is a single-use sign-in link (adds a sentence saying so). */
  signIn: boolean;
  unsubscribeUrl: string | null;
}

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
  push: { title: string; body: string };
  dir: 'ltr' | 'rtl';
}

export function formatDueDate(dueOn: string, lang: MessageLanguage): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${dueOn}T00:00:00Z`));
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function renderMessage(ctx: MessageContext): RenderedMessage {
  const tr = t();
  const lng = ctx.lang;
  const vars = { lng, workshop: ctx.workshopTitle, dueDate: formatDueDate(ctx.dueOn, lng), name: ctx.name };
  const subject = tr(`${ctx.kind}.subject`, vars);
  const body = tr(`${ctx.kind}.body`, vars);
  const greeting = tr('greeting', vars);
  const action = tr(ctx.kind === 'feedback' ? 'openResults' : 'openSurvey', vars);
  const signIn = ctx.signIn ? tr('signIn', vars) : null;
  const why = tr('why', vars);
  const signature = tr('signature', vars);
  const unsubscribe = tr('unsubscribe', vars);
  const dir = RTL.has(lng) ? 'rtl' : 'ltr';

  const text = [
    greeting,
    '',
    body,
    '',
    `${action}: ${ctx.actionUrl}`,
    ...(signIn ? [signIn] : []),
    '',
    signature,
    '',
    '--',
    why,
    ...(ctx.unsubscribeUrl ? [`${unsubscribe}: ${ctx.unsubscribeUrl}`] : []),
    '',
  ].join('\n');

  const p = (s: string) => `<p>${escapeHtml(s)}</p>`;
  const html = [
    '<!doctype html>',
    `<html lang="${lng}" dir="${dir}">`,
    `<head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    `<body dir="${dir}" style="font-family:sans-serif;line-height:1.5;max-width:36em">`,
    p(greeting),
    p(body),
    `<p><a href="${escapeHtml(ctx.actionUrl)}" style="display:inline-block;padding:0.6em 1.2em;background:#0b5394;color:#fff;text-decoration:none;border-radius:4px">${escapeHtml(action)}</a></p>`,
    ...(signIn ? [p(signIn)] : []),
    p(signature),
    `<hr><p style="font-size:0.85em;color:#555">${escapeHtml(why)}`,
    ...(ctx.unsubscribeUrl ? [` <a href="${escapeHtml(ctx.unsubscribeUrl)}">${escapeHtml(unsubscribe)}</a>`] : []),
    '</p>',
    '</body></html>',
    '',
  ].join('\n');

  return { subject, text, html, push: { title: ctx.workshopTitle, body: tr(`${ctx.kind}.push`, vars) }, dir };
}

/**
 * The page behind the unsubscribe link. Opening it (a GET, which mail
 * scanners prefetch) only asks; the button posts, and the posted answer says it is done.
 */
export function unsubscribePage(lang: MessageLanguage, done: boolean): string {
  const tr = t();
  const dir = RTL.has(lang) ? 'rtl' : 'ltr';
  const title = tr('unsubscribe', { lng: lang });
  const body = done
    ? `<p>${escapeHtml(tr('unsubscribeDone', { lng: lang }))}</p>`
    : `<p>${escapeHtml(tr('unsubscribeAsk', { lng: lang }))}</p>\n<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">${escapeHtml(title)}</button></form>`;
  return [
    '<!doctype html>',
    `<html lang="${lang}" dir="${dir}">`,
    `<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title></head>`,
    `<body>`,
    `<h1>${escapeHtml(title)}</h1>`,
    body,
    '</body></html>',
    '',
  ].join('\n');
}

/** A message as a participant would get it, with sample names and links (coordinator preview, CLI). */
export function previewMessage(kind: TextKind, lang: MessageLanguage, origin: string): RenderedMessage {
  return renderMessage({
    kind,
    lang,
    name: 'Ana Soares',
    workshopTitle: 'Regional Workshop on Risk Management',
    dueOn: '2027-01-02',
    actionUrl: kind === 'feedback' ? `${origin}/workshops/…` : `${origin}/workshops/…/survey`,
    signIn: false,
    unsubscribeUrl: `${origin}/api/v1/messages/unsubscribe/…`,
  });
}
