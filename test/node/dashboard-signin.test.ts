// Guessing the dashboard's admin key: every refused sign-in is a security event, and an address
// that has failed ten times is told to wait (429) before the form even reads a key.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDb } from '../../db/client.ts';
import { startIdentityCore, type Harness } from '../helpers/identity.ts';

const ADMIN = 'dashboard-admin-key-0123456789';
let h: Harness;
let login: string;

beforeAll(async () => {
  h = await startIdentityCore({ CADENCE_ADMIN_API_KEYS: `ops:${ADMIN}` });
  login = `http://127.0.0.1:${h.core.httpPort}/dashboard/login`;
});

afterAll(async () => {
  await h?.stop();
});

const signIn = (key: string) =>
  fetch(login, { method: 'POST', body: new URLSearchParams({ key }), redirect: 'manual' });

async function events(): Promise<{ kind: string; reasons: string }[]> {
  const db = await createDb(h.dbUrl, { migrate: false });
  try {
    return (await db.$client.execute("select kind, reasons from security_events where reasons like '%dashboard%' order by id")).rows as any;
  } finally {
    db.$client.close();
  }
}

it('records refused sign-ins, throttles an address after ten, and lets it try again when the lock is over', async () => {
  for (let i = 0; i < 10; i++) expect((await signIn(`guess-number-${i}-0000000000`)).status).toBe(401);
  const throttled = await signIn(ADMIN); // even the right key: the address is waiting
  expect(throttled.status).toBe(429);
  expect(throttled.headers.get('retry-after')).toBe('60');
  expect(await throttled.text()).toMatch(/Too many failed sign-ins/);

  const rows = await events();
  expect(rows.filter((r) => r.kind === 'admin_denied').length).toBeGreaterThanOrEqual(3); // bounded per key and minute (security-log.ts)
  expect(rows.some((r) => r.kind === 'login_throttled')).toBe(true);
  for (const r of rows) expect(r.reasons).not.toMatch(/guess-number|dashboard-admin-key/); // never the presented key

  h.clock.advance(60_000);
  const ok = await signIn(ADMIN);
  expect(ok.status).toBe(303);
  expect(ok.headers.get('set-cookie')).toMatch(/cadence_dashboard=/);
});
