// Opens the libSQL database (embedded file, :memory:, or a libSQL server) and applies migrations.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type Client } from '@libsql/client';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import * as schema from './schema.ts';
import { gateWrites } from './write-gate.ts';

export type Db = LibSQLDatabase<typeof schema> & {
  $client: Client;
  /**
   * Replaces the connection with a fresh one. For a local file after SQLITE_BUSY: the failed
   * statement stays active on its connection until garbage collection, and until then every
   * COMMIT there fails ("SQL statements in progress"). Nothing for any other URL.
   */
  $reopen(): Promise<void>;
};

export const DEFAULT_DB_URL = 'file:./data/cadence.db';
/** Write requests each process keeps in flight to a libSQL server (db/write-gate.ts). */
export const DEFAULT_DB_WRITERS = 4;
const migrationsFolder = fileURLToPath(new URL('../db/migrations', import.meta.url)); // from the root: the same path once compiled to dist/

export interface DbOptions {
  authToken?: string;
  /** Write requests in flight to a libSQL server (core/config.ts `dbWriters`, db/write-gate.ts); reads are not gated. */
  writers?: number;
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean;
}

async function open(url: string, options: DbOptions): Promise<LibSQLDatabase<typeof schema> & { $client: Client }> {
  const local = url.startsWith('file:');
  // One connection for a local file: SQLite calls run on this thread one at a time anyway, and the
  // PRAGMAs below are per connection, so a pool would open connections without them.
  const opened = createClient({ url, authToken: options.authToken, ...(local ? { concurrency: 1, timeout: 5000 } : {}) });
  const client = local ? opened : gateWrites(opened, options.writers ?? DEFAULT_DB_WRITERS);
  if (local) {
    // WAL lets readers proceed during ingest; busy_timeout rides out a competing writer.
    await client.execute('PRAGMA journal_mode = WAL');
    await client.execute('PRAGMA busy_timeout = 5000');
    await client.execute('PRAGMA synchronous = NORMAL');
  }
  await client.execute('PRAGMA foreign_keys = ON').catch(() => undefined);
  return drizzle(client, { schema });
}

export async function createDb(url: string = DEFAULT_DB_URL, options: DbOptions = {}): Promise<Db> {
  if (url.startsWith('file:')) {
    const file = url.slice('file:'.length).split('?')[0]!;
    await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  }
  let current = await open(url, options);
  if (options.migrate !== false) await migrate(current, { migrationsFolder });
  let reopening: Promise<void> | undefined;
  // Only a local file's connection is poisoned by SQLITE_BUSY; a server's HTTP streams are not, and
  // closing that client would fail every request queued on it (session 13's review).
  const reopen = () =>
    !url.startsWith('file:') ? Promise.resolve() : (reopening ??= (async () => {
      const old = current;
      current = await open(url, options);
      old.$client.close();
    })().finally(() => {
      reopening = undefined;
    }));
  // Every module holds this handle; it always reaches the current connection.
  return new Proxy({} as Db, {
    get(_target, prop) {
      if (prop === '$reopen') return reopen;
      const value = Reflect.get(current, prop, current) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(current) : value;
    },
  });
}
