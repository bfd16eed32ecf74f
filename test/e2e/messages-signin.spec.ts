/**
 * Issue #15's browser test: a participant who never enrolled a phone gets
 * the invitation by e-mail (a real SMTP server in this spec; the operator
 * CLI's `messages send-due` sends it, as the server's timer would), opens
 * its single-use sign-in link on a fresh phone (a new browser context),
 * lands on the survey, answers it offline, and once the phone is back
 * online the reply is counted in Table 1 of the report. The link then gives
 * nothing a second time. On the way, the coordinator's messages tab shows
 * the invitation sent and previews it in Persian.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { coordinatorToken, createCoordinatorAccount, publishWorkshop, signInAsCoordinator } from './helpers';

const PORT = Number(process.env.E2E_PORT ?? 4173);
const DATABASE_PATH = `.tmp/e2e-data-${PORT}/vaka.db`;
const ADMIN = path.resolve('src/server/cli/admin.ts');
const TITLE = `WCO Sub-regional Workshop on Data Analytics (e-mail link ${randomUUID().slice(0, 6)})`;
const EMAIL = 'ana.soares@example.org';

/** A zone where it is now between 10:00 and 18:00, so the invitation goes out at once (civil hours). */
function civilZone(now: Date): string {
  const zones = [
    'Pacific/Fiji',
    'Asia/Tokyo',
    'Asia/Kolkata',
    'Europe/Paris',
    'UTC',
    'America/New_York',
    'America/Los_Angeles',
    'Pacific/Honolulu',
  ];
  const hourIn = (zone: string) =>
    Number(new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', hour12: false }).format(now));
  return zones.find((z) => hourIn(z) >= 10 && hourIn(z) < 18)!;
}

const dayIn = (zone: string, at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(at);

function sendDue(smtpUrl: string, baseURL: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const { DATABASE_URL: _pg, ...inherited } = process.env;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', ADMIN, 'messages', 'send-due', '--json'],
      { env: { ...inherited, DATABASE_PATH, SMTP_URL: smtpUrl, PUBLIC_URL: baseURL, DEMO_CONTENT: '0' } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

test('a never-enrolled participant opens the e-mail link on a fresh phone, answers offline, and is counted', async ({
  browser,
  request,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const mails: ParsedMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      void simpleParser(stream).then((mail) => {
        mails.push(mail);
        callback();
      }, callback);
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  const smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  try {
    const now = new Date();
    const zone = civilZone(now);
    // The workshop ended yesterday and its survey opens 0 months after: open now, due in about three weeks.
    const yesterday = dayIn(zone, new Date(now.getTime() - 86_400_000));
    const [year, month] = yesterday.split('-').map(Number) as [number, number];
    const fiscalYear = month >= 7 ? year : year - 1;
    const token = await coordinatorToken(request, baseURL!);
    const workshopId = randomUUID();
    await publishWorkshop(request, token, {
      id: workshopId,
      title: TITLE,
      startDate: yesterday,
      endDate: yesterday,
      timeZone: zone,
      surveyOpensAfterMonths: 0,
      status: 'published',
    });
    const added = await request.post('/api/v1/participants', {
      headers: { authorization: `Bearer ${token}` },
      // A visiting officer whose administration has no zone of its own here: the workshop's zone applies.
      data: { participant: { fullName: 'Ana Soares', memberCode: 'GB', email: EMAIL }, workshopIds: [workshopId] },
    });
    expect(added.status()).toBe(201);

    const run = await sendDue(smtpUrl, baseURL!);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ sent: 1, failed: 0 });
    const again = await sendDue(smtpUrl, baseURL!);
    expect(JSON.parse(again.stdout)).toMatchObject({ scheduled: 0, sent: 0 });
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.to && 'text' in mail.to ? mail.to.text : '').toContain(EMAIL);
    const link = /(https?:\/\/\S+\/enrol#signin=[A-Za-z0-9_-]+)/.exec(mail.text ?? '')![1]!;
    expect(link.startsWith(`${baseURL}/enrol#signin=`)).toBe(true);

    // The coordinator sees the invitation sent, and previews it in Persian, right to left.
    const office = await browser.newContext();
    try {
      const page = await office.newPage();
      await signInAsCoordinator(page, createCoordinatorAccount(baseURL!, `e2e-messages-${Date.now()}@example.org`));
      await page.goto(`/coordinator/workshops/${workshopId}/messages`);
      const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Ana Soares' }) });
      await expect(row.getByRole('cell').first()).toContainText('Sent');
      await expect(row.getByRole('cell').nth(1)).toContainText('Nothing yet');
      await page.getByRole('region', { name: 'Preview a message' }).getByLabel('Language').selectOption('fa');
      await expect(page.locator('article[dir="rtl"][lang="fa"]')).toContainText('شش ماه');
    } finally {
      await office.close();
    }

    const phoneContext = await browser.newContext();
    try {
      const phone = await phoneContext.newPage();
      await phone.goto(link);
      await expect(phone).toHaveURL(new RegExp(`/workshops/${workshopId}/survey$`), { timeout: 30_000 });
      // The token left the address bar (and history) at once.
      expect(phone.url()).not.toContain('signin');
      await expect(phone.getByText('The survey is open. Please answer by')).toBeVisible({ timeout: 30_000 });

      await phoneContext.setOffline(true);
      await phone.getByRole('checkbox', { name: /Shared training materials/ }).check();
      await phone.getByLabel('(a) Operational improvement').fill('Our risk profiles now use the shared dashboards.');
      const effects = phone.getByRole('group', { name: /direct effects/ });
      await effects.getByRole('radio', { name: 'Yes' }).check();
      await effects.getByLabel('Examples of the effects').fill('Fewer inspections of compliant traders.');
      await phone
        .getByRole('group', { name: /efficiency and effectiveness/ })
        .getByRole('radio', { name: 'Yes' })
        .check();
      await phone
        .getByRole('group', { name: /new modernization projects/ })
        .getByRole('radio', { name: 'No' })
        .check();
      await phone.getByRole('button', { name: 'Submit' }).click();
      await expect(phone.getByText('Thank you. Your answer is saved on this phone')).toBeVisible();

      const row = async () => {
        const report = await request.get(`/api/v1/reports/follow-up?fiscalYear=${fiscalYear}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(report.status()).toBe(200);
        const body = (await report.json()) as {
          tables: { table1: { rows: { workshopId: string; participants: number; replies: number }[] } };
        };
        return body.tables.table1.rows.find((r) => r.workshopId === workshopId);
      };
      expect(await row()).toMatchObject({ participants: 1, replies: 0 });
      await phoneContext.setOffline(false);
      await expect(async () => {
        expect(await row()).toMatchObject({ participants: 1, replies: 1 });
      }).toPass({ timeout: 60_000 });

      // The link was single-use: opened again, it signs nobody in.
      const second = await browser.newContext();
      const other = await second.newPage();
      await other.goto(link);
      await expect(other.getByText('This link has already been used or has expired')).toBeVisible({ timeout: 30_000 });
      await second.close();
    } finally {
      await phoneContext.close();
    }
  } finally {
    await new Promise<void>((r) => smtp.close(() => r()));
  }
});
