/** Gives every test file an in-memory IndexedDB, so Dexie code runs under Node. */
import 'fake-indexeddb/auto';
