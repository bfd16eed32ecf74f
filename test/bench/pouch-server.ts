/**
 * The PouchDB peer of the sync benchmark, run as its own process (like the
 * Vaka server) so neither side shares an event loop with the proxy or the
 * clients: express-pouchdb in its "minimumForPouchDB" mode (the CouchDB
 * replication endpoints, gzip responses) on in-memory PouchDB databases.
 * Prints "listening <port>" once it accepts connections.
 */
import { createRequire } from 'node:module';
import type { Server } from 'node:http';

const require = createRequire(import.meta.url);

/** Only the parts of the PouchDB, express and express-pouchdb APIs used here (none of them ship types). */
interface PouchConstructor {
  plugin(plugin: unknown): PouchConstructor;
  defaults(options: { adapter: string }): PouchConstructor;
}
type Handler = (req: unknown, res: unknown, next: unknown) => void;
interface ExpressApp {
  use(path: string, handler: Handler): void;
  listen(port: number, host: string, callback: () => void): Server;
}

const PouchDB = (require('pouchdb') as PouchConstructor).plugin(require('pouchdb-adapter-memory'));
const MemoryPouch = PouchDB.defaults({ adapter: 'memory' });
const express = require('express') as () => ExpressApp;
const expressPouchDB = require('express-pouchdb') as (
  pouch: PouchConstructor,
  options: { mode: string; inMemoryConfig: boolean },
) => Handler;

const app = express();
app.use('/', expressPouchDB(MemoryPouch, { mode: 'minimumForPouchDB', inMemoryConfig: true }));
const port = Number(process.env.PORT ?? 0);
const server = app.listen(port, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
// The benchmark holds our stdin open; if it dies without stopping us, stdin ends and so do we.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
