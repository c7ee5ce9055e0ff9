// At most `writers` write requests in flight from this process to a libSQL server. sqld takes one
// writer at a time; a flood of concurrent writes (a login storm: 80 logins, each several upserts)
// made it answer SQLITE_BUSY after its lock wait. Reads are not gated: they take no write lock, and
// queuing them with the writes made an ingest write wait seconds behind slow dashboard reads
// (session 13's review). A statement is a read only when it starts with SELECT; a batch only in
// 'read' mode; everything else (including migrations) is a write. Interactive transactions are not
// gated (the core opens only read transactions).
import type { Client } from '@libsql/client';

/** A counting semaphore: run() waits for one of `size` permits. */
function semaphore(size: number) {
  let free = size;
  const waiting: (() => void)[] = [];
  return async function run<T>(task: () => Promise<T>): Promise<T> {
    if (free > 0) free--;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else free++;
    }
  };
}

const READ = /^\s*select\b/i;
const sqlOf = (stmt: unknown): string => (typeof stmt === 'string' ? stmt : String((stmt as { sql?: unknown } | null)?.sql ?? ''));

/** The same client, its write requests (execute, batch, migrate, executeMultiple) through a gate of `writers`. */
export function gateWrites(client: Client, writers: number): Client {
  if (!Number.isInteger(writers) || writers < 1) throw new RangeError(`writers must be a positive integer, got ${writers}`);
  const gate = semaphore(writers);
  const execute = client.execute.bind(client) as (...a: unknown[]) => ReturnType<Client['execute']>;
  const batch = client.batch.bind(client);
  const migrate = client.migrate.bind(client);
  const executeMultiple = client.executeMultiple.bind(client);
  return Object.assign(client, {
    execute: (...args: unknown[]) => (READ.test(sqlOf(args[0])) ? execute(...args) : gate(() => execute(...args))),
    batch: (stmts: Parameters<Client['batch']>[0], mode?: Parameters<Client['batch']>[1]) => (mode === 'read' ? batch(stmts, mode) : gate(() => batch(stmts, mode))),
    migrate: (stmts: Parameters<Client['migrate']>[0]) => gate(() => migrate(stmts)),
    executeMultiple: (sql: string) => gate(() => executeMultiple(sql)),
  }) as Client;
}
