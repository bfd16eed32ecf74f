/**
 * E-mail over SMTP with nodemailer, from SMTP_URL
 * (smtp://[user:pass@]host:port; smtps:// for TLS from the first byte).
 * Each message is plain text plus HTML, with a Message-ID fixed by its job
 * and RFC 8058 one-click unsubscribe headers. Failures are sorted into
 * permanent (the server refused the address or the message: 5xx) and
 * transient (no connection, timeouts, 4xx), each with a sentence a
 * coordinator can act on.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type { RenderedMessage } from './texts';

export type SendOutcome = { ok: true } | { ok: false; permanent: boolean; reason: string };

export interface OutgoingEmail {
  to: string;
  messageId: string;
  lang: string;
  rendered: RenderedMessage;
  unsubscribeUrl: string;
}

export interface Mailer {
  send(mail: OutgoingEmail): Promise<SendOutcome>;
  close(): void;
}

/** Below the job lease (jobs.ts), so a live sender always settles before another instance may take over. */
const SOCKET_TIMEOUT_MS = 60_000;

interface SmtpError {
  code?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

export function describeSmtpFailure(err: SmtpError): { permanent: boolean; reason: string } {
  const answer = err.response ? ` (the server said: ${err.response.slice(0, 200)})` : '';
  if (err.responseCode && err.responseCode >= 500)
    return { permanent: true, reason: `The mail server refused this e-mail${answer}. Check the address.` };
  if (err.responseCode && err.responseCode >= 400)
    return { permanent: false, reason: `The mail server asked to try later${answer}.` };
  if (err.code === 'ETIMEDOUT') return { permanent: false, reason: 'The mail server did not answer in time.' };
  if (err.code === 'EAUTH')
    return { permanent: false, reason: 'The mail server did not accept Vaka’s user name or password (SMTP_URL).' };
  return {
    permanent: false,
    reason: `Could not reach the mail server (${err.message ?? err.code ?? 'unknown error'}).`,
  };
}

export function createMailer(smtpUrl: string, from: string): Mailer {
  const transport: Transporter = nodemailer.createTransport({
    url: smtpUrl,
    connectionTimeout: SOCKET_TIMEOUT_MS,
    greetingTimeout: SOCKET_TIMEOUT_MS,
    socketTimeout: SOCKET_TIMEOUT_MS,
  });
  return {
    async send(mail) {
      try {
        await transport.sendMail({
          from,
          to: mail.to,
          subject: mail.rendered.subject,
          text: mail.rendered.text,
          html: mail.rendered.html,
          messageId: mail.messageId,
          headers: {
            'Content-Language': mail.lang,
            'Auto-Submitted': 'auto-generated',
            // RFC 2369 and RFC 8058: mail programs show an unsubscribe button that POSTs to the link, no sign-in.
            'List-Unsubscribe': `<${mail.unsubscribeUrl}>`,
            'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          },
        });
        return { ok: true };
      } catch (err) {
        return { ok: false, ...describeSmtpFailure(err as SmtpError) };
      }
    },
    close: () => transport.close(),
  };
}
