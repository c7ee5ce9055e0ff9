// The analyst dashboard in Chromium against a real core and a real Node edge: users log in through
// the core, genuine and bot batches go through the edge (which requires their access tokens), a
// model is trained with the admin key, and two session models are trained into the registry; then an
// analyst signs in, reads every view, labels a session and reads the session models' metrics.
import { AdminService, IdentityService, ModelService, RiskService } from '../../client/index.ts';
import { connectTransport, unary, type CallError } from '../helpers/typed-core.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botTyping, typing } from '../helpers/batches.ts';
import { ARTIFACTS, hasChromium, openDemo, rng, startStack, typeHuman, type Stack } from './harness.ts';
import { createDb } from '../../db/client.ts';
import { trainSessionModelInto } from '../../cli/train-session-model.ts';
import { synthSessionRecords } from '../../scoring/synth/session-records.ts';

if (!hasChromium) console.warn('browser tests skipped: /usr/bin/chromium is missing (apt-get install -y chromium; .ci/run installs it)');

const ADMIN_KEY = 'dash-admin-key-7f3a9c0e5b21';
const PASSWORD = 'correct horse battery';
const ANA = { hold: 105, gap: 210 };
const BEN = { hold: 80, gap: 150 };

/** One call through client/'s typed Connect client, answered as a plain object (test/helpers/typed-core.ts). */
async function rpc<T>(stack: Stack, method: string, body: unknown, admin = false): Promise<T> {
  const [service, name] = method.split('/') as [keyof typeof SERVICES, string];
  const call = unary(connectTransport(stack.core.httpUrl, 30_000).transport, SERVICES[service], name);
  return call(body, { headers: admin ? { 'x-api-key': ADMIN_KEY } : {} }).catch((e: CallError) => {
    throw new Error(`${method}: ${e.message}`);
  });
}
const SERVICES = { IdentityService, RiskService, ModelService, AdminService };

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

interface Login { sessionId: string; userId: string; tokens: { accessToken: string } }

/** A logged-in session that posts windows to the edge as the collector does, under its access token. */
async function user(stack: Stack, email: string, deviceId: string) {
  const login = () => rpc<Login>(stack, 'IdentityService/Login', { email, password: PASSWORD, deviceId });
  await rpc(stack, 'IdentityService/Register', { email, password: PASSWORD, mpin: '1357' });
  return login;
}

let batchNo = 0;
async function post(stack: Stack, l: Login, deviceId: string, events: ReturnType<typeof typing>, blockedOk = false) {
  batchNo++;
  const res = await fetch(`${stack.edge.url}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${l.tokens.accessToken}` },
    body: JSON.stringify({ sessionId: l.sessionId, batchId: `dash-${batchNo}`, seq: batchNo, consent: true, context: { page: '/login', deviceId }, events }),
  });
  // Once the edge has answered block for a session it refuses the session's batches (issue 22).
  if (blockedOk && res.status === 403) return (await res.json()) as { error: { code: string } } & { decision?: undefined };
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as { decision: string; error?: undefined };
}

/** Waits until the core has stored (and decided) every batch the edge accepted for a session. */
const delivered = (stack: Stack, sessionId: string, n: number) =>
  until(`${n} batches of ${sessionId} in the core`, async () => {
    const r = await rpc<{ batchCount: string }>(stack, 'RiskService/GetSessionRisk', { sessionId });
    return Number(r.batchCount) >= n ? r : undefined;
  });

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, name), fullPage: true });

describe.skipIf(!hasChromium)('analyst dashboard in Chromium', () => {
  let stack: Stack;
  let page: Page;
  let ana: Login;
  let anaBot: Login;
  // The bot's batches the edge took: three, or fewer if a block came first (then the rest are refused).
  let botBatches = 0;
  let ben: Login;
  let model: { version: string; sha256: string; scope: string };
  let dbDir: string;
  let dbUrl: string;

  beforeAll(async () => {
    dbDir = await mkdtemp(path.join(tmpdir(), 'cadence-dash-db-'));
    dbUrl = `file:${path.join(dbDir, 'core.db')}`;
    stack = await startStack({
      core: { CADENCE_ADMIN_API_KEYS: `analyst:${ADMIN_KEY}`, CADENCE_ENROL_MIN_WINDOWS: '10', CADENCE_RETRAIN_INTERVAL_S: '3600', CADENCE_DB_URL: dbUrl },
      edge: { CADENCE_RATE_SESSION_PER_MIN: '0' },
    });
    const anaLogin = await user(stack, 'ana@example.com', 'dev-ana');
    const benLogin = await user(stack, 'ben@example.com', 'dev-ben');
    ben = await benLogin();
    for (let i = 0; i < 8; i++) await post(stack, ben, 'dev-ben', typing({ ...BEN, keys: 30, seed: 500 + i }));
    ana = await anaLogin();
    for (let i = 0; i < 14; i++) await post(stack, ana, 'dev-ana', typing({ ...ANA, keys: 30, seed: 100 + i }));
    await Promise.all([delivered(stack, ben.sessionId, 8), delivered(stack, ana.sessionId, 14)]);
    // Train Ana's model with the admin key (the automatic one at 10 windows may precede it).
    ({ model } = await rpc<{ model: typeof model }>(stack, 'ModelService/Train', { scope: ana.userId }, true));
    // Then a bot in Ana's account from another device: zero-variance typing.
    anaBot = await rpc<Login>(stack, 'IdentityService/Login', { email: 'ana@example.com', password: PASSWORD, deviceId: 'dev-bot' });
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await post(stack, anaBot, 'dev-bot', botTyping(30), true));
    const taken = answers.filter((a) => a.decision);
    botBatches = taken.length;
    expect(taken.map((a) => a.decision)).not.toContain('allow');
    // The block may come from the edge's own answer or from the core's standing (the owner's model
    // adds its evidence to the automation families there), which reaches the edge while the next
    // batch is on its way: then even the second batch is refused. Either way the rest are refused.
    expect(botBatches).toBeGreaterThanOrEqual(1);
    for (const refused of answers.slice(botBatches)) expect(refused.error?.code).toBe('session_blocked');
    await delivered(stack, anaBot.sessionId, botBatches);
    page = await stack.browser.newPage();
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
    if (dbDir) await rm(dbDir, { recursive: true, force: true });
  });

  it('refuses a wrong key, and sends a visitor without a session to the sign-in page', async () => {
    const res = await page.goto(`${stack.core.httpUrl}/dashboard/sessions`);
    expect(page.url()).toBe(`${stack.core.httpUrl}/dashboard/login`);
    expect(res?.status()).toBe(200);
    await page.fill('#key', 'not-the-admin-key-000000');
    const [answer] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/dashboard/login') && r.request().method() === 'POST'), page.click('#sign-in')]);
    expect(answer.status()).toBe(401);
    expect(await page.textContent('#login-error')).toMatch(/not an admin API key/);
    expect((await stack.browser.cookies()).filter((c) => c.name === 'cadence_dashboard')).toEqual([]);
    await shot(page, 'dashboard-login-refused.png');
  });

  it('signs in with the admin key (HttpOnly, SameSite=Strict cookie) and lists the sessions with the flagged bot', async () => {
    await page.fill('#key', ADMIN_KEY);
    await page.click('#sign-in');
    await page.waitForURL(`${stack.core.httpUrl}/dashboard/sessions`);
    const [cookie] = (await stack.browser.cookies()).filter((c) => c.name === 'cadence_dashboard');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/dashboard' });
    expect(cookie!.value).not.toContain(ADMIN_KEY);
    const html = await page.content();
    expect(html).not.toContain(ADMIN_KEY);
    expect(html).toContain('analyst'); // the key's name, never the key
    // Every session is listed; the bot's is highlighted and among the flagged ones.
    for (const s of [ana, ben, anaBot]) expect(await page.locator(`#all-sessions tr[data-session="${s.sessionId}"]`).count()).toBe(1);
    const botLevel = await page.getAttribute(`#flagged tr[data-session="${anaBot.sessionId}"]`, 'data-level');
    expect(['medium', 'high']).toContain(botLevel);
    expect(await page.getAttribute(`#all-sessions tr[data-session="${anaBot.sessionId}"]`, 'class')).toMatch(/flag-(medium|high)/);
    expect(await page.locator(`#flagged tr[data-session="${ana.sessionId}"]`).count()).toBe(0);
    // The stats header counts what happened.
    expect(Number(await page.textContent('[data-stat="sessions"] b'))).toBeGreaterThanOrEqual(3);
    const steps = Number(await page.textContent('[data-stat="mpin-challenges"] b')) + Number(await page.textContent('[data-stat="blocks"] b'));
    expect(steps).toBeGreaterThan(0);
    expect(Number(await page.textContent('[data-stat="users-with-model"] b'))).toBeGreaterThanOrEqual(1);
    await page.setViewportSize({ width: 1280, height: 800 });
    await shot(page, 'dashboard-sessions.png');
  });

  it('filters by level and pages through sessions; a bad filter is a 400 naming it', async () => {
    const res = await page.goto(`${stack.core.httpUrl}/dashboard/sessions?level=medium&window=1h`);
    // Nothing cached, nothing framed, no script allowed to run.
    expect(res?.headers()).toMatchObject({ 'cache-control': 'no-store', 'x-frame-options': 'DENY' });
    expect(res?.headers()['content-security-policy']).toMatch(/default-src 'none'.*frame-ancestors 'none'/);
    const rows = await page.locator('#all-sessions tr[data-session]').evaluateAll((trs) => trs.map((t) => t.getAttribute('data-level')));
    expect(rows.length).toBeGreaterThan(0);
    for (const level of rows) expect(['medium', 'high']).toContain(level);
    await page.goto(`${stack.core.httpUrl}/dashboard/sessions?size=10`);
    expect(await page.locator('#next-page').count()).toBe(0); // 3 sessions fit one page of 10
    const bad = await page.goto(`${stack.core.httpUrl}/dashboard/sessions?level=severe`);
    expect(bad?.status()).toBe(400);
    expect(await page.textContent('#problem')).toMatch(/level/);
    const unknown = await page.goto(`${stack.core.httpUrl}/dashboard/sessions?lvl=high`);
    expect(unknown?.status()).toBe(400);
    expect(await page.textContent('#problem')).toMatch(/unknown query parameter lvl/);
    expect((await page.goto(`${stack.core.httpUrl}/dashboard/sessions?page=bm90LWEtdG9rZW4`))?.status()).toBe(400);
    expect((await page.goto(`${stack.core.httpUrl}/dashboard/sessions/no-such-session`))?.status()).toBe(404);
  });

  it("shows the bot session's timeline, reasons and per-feature contributions", async () => {
    await page.goto(`${stack.core.httpUrl}/dashboard/sessions`);
    await page.click(`#flagged tr[data-session="${anaBot.sessionId}"] a`);
    await page.waitForURL(`**/dashboard/sessions/${anaBot.sessionId}`);
    // One marker per core decision (one per batch taken), and the edge's pre-score line.
    expect(await page.locator('#timeline svg circle.point').count()).toBe(botBatches);
    expect(await page.locator('#timeline svg [data-series="edge pre-score"]').count()).toBe(1);
    expect(await page.locator('#timeline svg .threshold').count()).toBe(3);
    expect(await page.locator('#reasons svg rect.bar').count()).toBeGreaterThan(0);
    expect(await page.textContent('#reasons')).toMatch(/zero_variance_timing|superhuman_typing/);
    expect(await page.locator('#contributions svg rect.bar').count()).toBeGreaterThan(3);
    const levels = await page.locator('#decisions [data-decision]').evaluateAll((els) => els.map((e) => e.getAttribute('data-decision')));
    expect(levels).toHaveLength(botBatches);
    for (const l of levels) expect(['challenge', 'block']).toContain(l);
    expect(await page.textContent('#security')).toMatch(/challenge|block/);
    await shot(page, 'dashboard-session-detail.png');
  });

  it('draws the score histogram and a drift chart per user', async () => {
    await page.goto(`${stack.core.httpUrl}/dashboard/scores`);
    const bars = page.locator('#histogram svg rect.bar');
    expect(await bars.count()).toBe(20);
    const counts = (await bars.evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('data-count')))));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(8 + 14 + botBatches); // every batch here is judged
    expect(counts.slice(14).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(botBatches); // the bot's, at 0.7 and above
    expect(await page.locator('#histogram svg .axis-title').count()).toBe(2);
    await shot(page, 'dashboard-scores.png');

    await page.goto(`${stack.core.httpUrl}/dashboard/drift`);
    for (const u of [ana, ben]) {
      const chart = page.locator(`.drift-user[data-user="${u.userId}"] svg`);
      expect(await chart.locator('path.line').count()).toBe(1);
    }
    expect(await page.locator(`.drift-user[data-user="${ana.userId}"] svg circle.point`).count()).toBe(14 + botBatches);
    await page.goto(`${stack.core.httpUrl}/dashboard/drift?user=${ben.userId}`);
    expect(await page.locator('.drift-user').count()).toBe(1);
    await shot(page, 'dashboard-drift.png');
  });

  it('shows a session typed on the demo page, with its score', async () => {
    const { tab } = await openDemo(stack, 'login', 'flushMs=60000', true);
    await tab.click('#username');
    await typeHuman(tab, 'cy.demo@example.com', rng(11));
    await tab.click('button[type=submit]');
    await tab.waitForSelector('#decision:not([data-decision=none])');
    const sessionId = (await tab.textContent('#session'))!.trim();
    await tab.close();
    expect(sessionId).not.toBe('');
    await delivered(stack, sessionId, 1);
    await page.goto(`${stack.core.httpUrl}/dashboard/sessions`);
    const row = page.locator(`#all-sessions tr[data-session="${sessionId}"]`);
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toMatch(/anonymous/);
    // Its latest batch may be the beacon sent as the tab closed (too short to judge); the typing was judged.
    await row.locator('a').click();
    await page.waitForURL(`**/dashboard/sessions/${sessionId}`);
    expect(await page.textContent('#decisions')).toMatch(/\d\.\d{3}/);
    expect(await page.locator('#timeline svg circle.point').count()).toBeGreaterThanOrEqual(1);
  });

  it('labels a session (who and when recorded), changes the label, keeps the history, refuses a cross-site post', async () => {
    const at = `${stack.core.httpUrl}/dashboard/sessions/${anaBot.sessionId}`;
    await page.goto(at);
    expect(await page.getAttribute('#current-label', 'data-label')).toBe('');
    const before = Date.now();
    await page.check('#label-account_takeover');
    await page.fill('#label-note', 'new device, same password');
    await page.click('#save-label');
    await page.waitForURL(`${at}#label`);
    expect(await page.getAttribute('#current-label', 'data-label')).toBe('account_takeover');
    expect(await page.textContent('#current-label .analyst')).toBe('analyst'); // the signed-in key's name
    expect(await page.textContent('#current-label .note')).toBe('new device, same password');
    expect(await page.isChecked('#label-account_takeover')).toBe(true);
    // Changed: the new label is current, the old one stays in the history, newest first.
    await page.check('#label-bot');
    await page.click('#save-label');
    await page.waitForURL(`${at}#label`);
    expect(await page.getAttribute('#current-label', 'data-label')).toBe('bot');
    const history = await page.locator('#label-history tr[data-label]').evaluateAll((trs) => trs.map((t) => t.getAttribute('data-label')));
    expect(history).toEqual(['bot', 'account_takeover']);
    await shot(page, 'dashboard-session-label.png');
    // The same record over the admin RPC: who and when.
    const labels = await rpc<{ current: { label: string; analyst: string; labelledAtMs: string }; history: { label: string }[] }>(stack, 'AdminService/GetSessionLabels', { sessionId: anaBot.sessionId }, true);
    expect(labels.current).toMatchObject({ label: 'SESSION_LABEL_BOT', analyst: 'analyst' });
    expect(Number(labels.current.labelledAtMs)).toBeGreaterThanOrEqual(before - 1000);
    expect(labels.history.map((l) => l.label)).toEqual(['SESSION_LABEL_BOT', 'SESSION_LABEL_ACCOUNT_TAKEOVER']);
    // Another site's form (the browser says so in Origin and Sec-Fetch-Site) is refused, nothing stored.
    const forged = await page.request.post(`${at}/label`, { form: { label: 'genuine' }, headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }, maxRedirects: 0 });
    expect(forged.status()).toBe(403);
    // A label that is not one of the four is a 400 naming the field.
    const bad = await page.request.post(`${at}/label`, { form: { label: 'fraud' }, headers: { origin: stack.core.httpUrl, 'sec-fetch-site': 'same-origin' }, maxRedirects: 0 });
    expect(bad.status()).toBe(400);
    expect(await bad.text()).toMatch(/label must be one of/);
    const after = await rpc<{ history: unknown[] }>(stack, 'AdminService/GetSessionLabels', { sessionId: anaBot.sessionId }, true);
    expect(after.history).toHaveLength(2);
  });

  it("shows the active session model's held-out metrics and every registered session model's", async () => {
    await page.goto(`${stack.core.httpUrl}/dashboard/session-model`);
    expect(await page.textContent('#active-session-model')).toMatch(/No session model is active/);
    // Two versions trained as `cadence train session-model` does, the second with more trees (better
    // on the same held-out split, so it becomes the active one).
    const db = await createDb(dbUrl);
    const rows = [];
    const { records, labels } = synthSessionRecords(600, 0.4, 1);
    try {
      for (const trees of [5, 20]) rows.push(await trainSessionModelInto(db, records, labels, { seed: 1, trees }));
    } finally {
      db.$client.close();
    }
    const [older, active] = rows as [(typeof rows)[number], (typeof rows)[number]];
    await page.reload();
    const card = page.locator('#active-session-model');
    expect(await card.getAttribute('data-model')).toBe(active.id);
    for (const k of ['auc', 'average_precision', 'precision', 'recall', 'f1'] as const) {
      expect(Number(await card.locator(`[data-metric="${k}"] b`).textContent())).toBeCloseTo(active.metrics[k]!, 3);
    }
    expect(active.metrics.auc!).toBeGreaterThan(0.8); // a real model, not a constant one
    for (const cell of ['tp', 'fp', 'tn', 'fn'] as const) expect(Number(await card.locator(`td[data-cell="${cell}"]`).textContent())).toBe(active.metrics[cell]);
    const m = active.metrics as Record<string, number>;
    expect(m.tp! + m.fp! + m.tn! + m.fn!).toBe(m.held_out);
    // Both versions listed, newest first, each with its own figures.
    const listed = await page.locator('#session-models tr[data-model]').evaluateAll((trs) => trs.map((t) => t.getAttribute('data-model')));
    expect(listed).toEqual([active.id, older.id]);
    const olderRow = page.locator(`#session-models tr[data-model="${older.id}"]`);
    expect(Number(await olderRow.locator('[data-metric="f1"]').textContent())).toBeCloseTo(older.metrics.f1!, 3);
    expect(await olderRow.locator('[data-metric="confusion"]').textContent()).toBe(`${older.metrics.tp} / ${older.metrics.fp} / ${older.metrics.tn} / ${older.metrics.fn}`);
    expect(await page.locator(`#session-models tr[data-model="${active.id}"] .pill.active-model`).count()).toBe(1);
    expect(await olderRow.locator('.pill.active-model').count()).toBe(0);
    await shot(page, 'dashboard-session-model.png');
  });

  it('lists the trained model in the registry, and signs out', async () => {
    await page.goto(`${stack.core.httpUrl}/dashboard/models`);
    const rows = page.locator('#models tr[data-model]');
    expect(await rows.count()).toBeGreaterThanOrEqual(1);
    const text = await page.textContent('#models');
    expect(text).toContain(model.sha256.slice(0, 12));
    expect(text).toContain(model.version);
    expect(await page.locator('#models .pill.active-model').count()).toBeGreaterThanOrEqual(1);
    await shot(page, 'dashboard-models.png');

    await page.click('#logout');
    await page.waitForURL(`${stack.core.httpUrl}/dashboard/login`);
    await page.goto(`${stack.core.httpUrl}/dashboard/models`);
    expect(page.url()).toBe(`${stack.core.httpUrl}/dashboard/login`);
  });
});
