// db/write-gate.ts: at most N write requests in flight to a libSQL server, reads never held back;
// and, on a real libSQL server (CADENCE_TEST_DB=sqld), a flood of concurrent upserts through the
// core's own createDb is stored whole, none refused as busy.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@libsql/client';
import { describe, expect, it } from 'vitest';
import { createDb } from '../../db/client.ts';
import { gateWrites } from '../../db/write-gate.ts';
import { SQLD_MODE, testDb } from '../helpers/db.ts';

/** A stand-in for @libsql/client's interface that records how many requests of each kind run at once. */
function recordingClient(delayMs: number) {
  const live = { reads: 0, writes: 0, maxReads: 0, maxWrites: 0 };
  const run = async (kind: 'reads' | 'writes', fail = false) => {
    live[kind]++;
    live.maxReads = Math.max(live.maxReads, live.reads);
    live.maxWrites = Math.max(live.maxWrites, live.writes);
    await new Promise((r) => setTimeout(r, delayMs));
    live[kind]--;
    if (fail) throw Object.assign(new Error('SQLITE_BUSY: database is locked'), { code: 'SQLITE_BUSY' });
    return { rows: [] };
  };
  const client = {
    execute: (stmt: string | { sql: string }) => {
      const sql = typeof stmt === 'string' ? stmt : stmt.sql;
      return run(/^\s*select/i.test(sql) ? 'reads' : 'writes', sql.includes('fail'));
    },
    batch: (_stmts: unknown[], mode?: string) => run(mode === 'read' ? 'reads' : 'writes'),
    migrate: () => run('writes'),
    executeMultiple: () => run('writes'),
  };
  return { client: client as unknown as Client, live };
}

describe('the write gate', () => {
  it('keeps at most N writes in flight (execute, batch, migrate), lets reads through at once, and frees a permit when a write fails', async () => {
    const { client, live } = recordingClient(15);
    const gated = gateWrites(client, 3);
    const calls: Promise<unknown>[] = [];
    for (let i = 0; i < 12; i++) calls.push(gated.execute({ sql: 'insert into t values (?)', args: [i] }));
    for (let i = 0; i < 4; i++) calls.push(gated.batch([{ sql: 'update t set x = 1', args: [] }], 'write'));
    calls.push(gated.migrate([]));
    calls.push(gated.execute('update t set x = 2 -- fail').catch((e: { code: string }) => e.code));
    for (let i = 0; i < 10; i++) calls.push(gated.execute('select 1'), gated.batch([], 'read'));
    const out = await Promise.all(calls);
    expect(live.maxWrites).toBe(3);
    expect(live.maxReads).toBe(20);
    expect(out).toContain('SQLITE_BUSY');
    // Every permit came back: three more writes run side by side.
    live.maxWrites = 0;
    await Promise.all([1, 2, 3].map(() => gated.execute('delete from t')));
    expect(live.maxWrites).toBe(3);
  });
  it('refuses a gate of no writers', () => {
    expect(() => gateWrites(recordingClient(1).client, 0)).toThrow(/writers must be a positive integer/);
  });
});

describe.runIf(SQLD_MODE)('a core database on a libSQL server', () => {
  it('stores a flood of 400 concurrent upserts from 80 writers whole, none refused as busy, while reads go on', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cadence-write-gate-'));
    const server = await testDb(dir, 'gate');
    const db = await createDb(server.url, { migrate: false });
    try {
      await db.$client.execute('create table hits (key text primary key, n integer not null)');
      const outcomes = await Promise.allSettled(
        Array.from({ length: 80 }, async (_, w) => {
          for (let i = 0; i < 5; i++) {
            await db.$client.execute({ sql: 'insert into hits (key, n) values (?, 1) on conflict (key) do update set n = n + 1', args: [`k${(w + i) % 7}`] });
            await db.$client.execute('select count(*) from hits');
          }
        }),
      );
      expect(outcomes.filter((o) => o.status === 'rejected').map((o) => String((o as PromiseRejectedResult).reason))).toEqual([]);
      const total = (await db.$client.execute('select sum(n) as n from hits')).rows[0]!.n;
      expect(Number(total)).toBe(400);
    } finally {
      db.$client.close();
      await server.stop();
    }
  }, 120_000);
});
