/**
 * Starts the Vaka server: opens the database (SQLite by default, PostgreSQL
 * when DATABASE_URL is set), loads the demo content into an empty database,
 * and listens on PORT. Everything else lives in app.ts.
 */
import { loadConfig } from './config';
import { openDatabase } from './db/connection';
import { buildApp } from './app';
import { seedDemo } from './content/seed';

async function main(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase(config.database);
  const app = await buildApp({ database, config, logger: true });
  if (config.demoContent) {
    const report = await seedDemo(database.db, config, { demoAccounts: config.demoCoordinator });
    for (const line of report) app.log.info(line);
  }
  const shutdown = async (signal: string) => {
    app.log.info(`${signal}: closing`);
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
