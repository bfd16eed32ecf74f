/**
 * Starts the Vaka server: opens the database (SQLite by default, PostgreSQL
 * when DATABASE_URL is set), loads the demo content into an empty database,
 * and listens on PORT. On a terminal the log is written for a person to
 * read (log-format.ts); anywhere else it stays JSON. Every few minutes it
 * sends the follow-up messages that fell due (messages/service.ts).
 * Everything else lives in app.ts.
 */
import { loadConfig } from './config';
import { openDatabase } from './db/connection';
import { buildApp } from './app';
import { seedDemo } from './content/seed';
import { humanLog } from './log-format';

/** How often the server looks for due follow-up messages; they go out at civil hours, so minutes are plenty. */
const MESSAGE_INTERVAL_MS = 5 * 60_000;

async function main(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase(config.database);
  const app = await buildApp({
    database,
    config,
    logger: true,
    ...(process.stdout.isTTY ? { logStream: humanLog(process.stdout) } : {}),
  });
  if (config.demoContent) {
    const report = await seedDemo(database.db, config, { demoAccounts: config.demoCoordinator, files: app.vaka.files });
    for (const line of report) app.log.info(line.standOut ? { demo: true } : {}, line.text);
  }
  // The follow-up round's messages go out from here, not in tests. Several instances may run this:
  // each job is leased, so every message still goes once (messages/jobs.ts).
  let sending = false;
  const sendDue = () => {
    if (sending) return;
    sending = true;
    app.vaka.messages
      .runDue(new Date())
      .then((r) => {
        if (r.scheduled || r.sent || r.failed) app.log.info(r, 'messages: due messages handled');
      })
      .catch((err: unknown) => app.log.error(err, 'messages: a run failed; the next one retries'))
      .finally(() => {
        sending = false;
      });
  };
  const messageTimer = setInterval(sendDue, MESSAGE_INTERVAL_MS);
  const shutdown = async (signal: string) => {
    app.log.info(`${signal}: closing`);
    clearInterval(messageTimer);
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  sendDue();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
