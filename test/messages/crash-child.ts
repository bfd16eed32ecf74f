/**
 * One server instance's run of the message schedule, in its own process so
 * crash.test.ts can SIGKILL it in the middle of sending. Reads the database
 * target, SMTP_URL, the run's time and the test push service's certificate
 * from the environment.
 */
import https from 'node:https';
import { openDatabase, type DatabaseTarget } from '../../src/server/db/connection';
import { createMessageService } from '../../src/server/messages/service';

const target = JSON.parse(process.env.VAKA_TEST_TARGET!) as DatabaseTarget;
const handle = await openDatabase(target);
const service = createMessageService({
  db: handle.db,
  dialect: handle.dialect,
  publicUrl: 'https://vaka.example.org',
  smtpUrl: process.env.SMTP_URL!,
  mailFrom: 'followup@example.org',
  ...(process.env.VAKA_TEST_CA ? { pushAgent: new https.Agent({ ca: process.env.VAKA_TEST_CA }) } : {}),
});
const report = await service.runDue(new Date(process.env.VAKA_TEST_AT!));
service.close();
await handle.close();
process.stdout.write(JSON.stringify(report));
