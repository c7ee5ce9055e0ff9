// Migration 0006 (batches keyed by session id and batch id): a database at 0005 with batches and
// events keeps every row, and comes out with the composite key and foreign key enforced.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { afterAll, describe, expect, it } from 'vitest';

const migrations = fileURLToPath(new URL('../../db/migrations/', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'cadence-migration-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('migration 0006_batch_session_key', () => {
  it('keeps batches and events, then keys batches by (session id, batch id) with events following them', async () => {
    // The migrations folder as it was before 0006.
    const before = path.join(dir, 'before');
    cpSync(migrations, before, { recursive: true });
    const journalFile = path.join(before, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalFile, 'utf8'));
    const at = journal.entries.findIndex((e: { tag: string }) => e.tag === '0006_batch_session_key');
    expect(at).toBeGreaterThan(0);
    journal.entries = journal.entries.slice(0, at);
    writeFileSync(journalFile, JSON.stringify(journal));

    const client = createClient({ url: `file:${path.join(dir, 'core.db')}` });
    await client.execute('PRAGMA foreign_keys = ON');
    const db = drizzle(client);
    try {
      await migrate(db, { migrationsFolder: before });
      await client.execute("insert into sessions (id, first_seen_ms, last_seen_ms) values ('s-1', 1, 1), ('s-2', 1, 1)");
      await client.execute("insert into batches values ('b-1', 's-1', 0, 2, 'h1', 1, 1), ('b-2', 's-2', 0, 1, 'h2', 1, 1)");
      await client.execute("insert into events (session_id, batch_id, idx, type, t) values ('s-1', 'b-1', 0, 'keydown', 1), ('s-1', 'b-1', 1, 'keyup', 2), ('s-2', 'b-2', 0, 'focus', 1)");
      await client.execute("insert into enrolment_windows (user_id, session_id, batch_id, kind, vector, risk, created_at_ms) values ('u-1', 's-1', 'b-1', 'keystroke', '[1]', 0.1, 1)");

      await migrate(db, { migrationsFolder: migrations });
      const count = async (t: string) => Number((await client.execute(`select count(*) as n from ${t}`)).rows[0]!.n);
      expect([await count('batches'), await count('events'), await count('enrolment_windows')]).toEqual([2, 3, 1]);
      expect((await client.execute('select session_id, batch_id, payload_sha256 from batches order by batch_id')).rows.map((r) => [r.session_id, r.batch_id, r.payload_sha256])).toEqual([
        ['s-1', 'b-1', 'h1'],
        ['s-2', 'b-2', 'h2'],
      ]);
      expect((await client.execute('PRAGMA foreign_keys')).rows[0]![0]).toBe(1);
      expect((await client.execute('PRAGMA foreign_key_check')).rows).toEqual([]);
      // The same batch id in another session is another batch (and enrols its own window)...
      await client.execute("insert into batches values ('b-1', 's-2', 0, 1, 'h3', 1, 1)");
      await client.execute("insert into events (session_id, batch_id, idx, type, t) values ('s-2', 'b-1', 0, 'focus', 1)");
      await client.execute("insert into enrolment_windows (user_id, session_id, batch_id, kind, vector, risk, created_at_ms) values ('u-2', 's-2', 'b-1', 'keystroke', '[1]', 0.1, 1)");
      // ...the same key twice is refused, and events must belong to a stored (session, batch).
      await expect(client.execute("insert into batches values ('b-1', 's-2', 0, 1, 'h4', 1, 1)")).rejects.toThrow(/UNIQUE/);
      await expect(client.execute("insert into events (session_id, batch_id, idx, type, t) values ('s-1', 'b-2', 0, 'focus', 1)")).rejects.toThrow(/FOREIGN KEY/);
      // Deleting a batch deletes its events only.
      await client.execute("delete from batches where session_id = 's-1' and batch_id = 'b-1'");
      expect((await client.execute('select session_id, batch_id from events order by session_id, batch_id')).rows.map((r) => [r.session_id, r.batch_id])).toEqual([
        ['s-2', 'b-1'],
        ['s-2', 'b-2'],
      ]);
    } finally {
      client.close();
    }
  });
});
