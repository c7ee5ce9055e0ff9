// Opens the libSQL database (embedded file, :memory:, or a libSQL server) and applies migrations.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type Client } from '@libsql/client';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import * as schema from './schema.ts';

export type Db = LibSQLDatabase<typeof schema> & { $client: Client };

export const DEFAULT_DB_URL = 'file:./data/cadence.db';
const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

export interface DbOptions {
  authToken?: string;
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean;
}

export async function createDb(url: string = DEFAULT_DB_URL, options: DbOptions = {}): Promise<Db> {
  const local = url.startsWith('file:');
  if (local) {
    const file = url.slice('file:'.length).split('?')[0]!;
    await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  }
  // One connection for a local file: SQLite calls run on this thread one at a time anyway, and the
  // PRAGMAs below are per connection, so a pool would open connections without them.
  const client = createClient({ url, authToken: options.authToken, ...(local ? { concurrency: 1, timeout: 5000 } : {}) });
  if (local) {
    // WAL lets readers proceed during ingest; busy_timeout rides out a competing writer.
    await client.execute('PRAGMA journal_mode = WAL');
    await client.execute('PRAGMA busy_timeout = 5000');
    await client.execute('PRAGMA synchronous = NORMAL');
  }
  await client.execute('PRAGMA foreign_keys = ON').catch(() => undefined);
  const db = drizzle(client, { schema }) as Db;
  if (options.migrate !== false) await migrate(db, { migrationsFolder });
  return db;
}
