// What the collector records in Chromium, as issue 22 asks: pointer and touch paths at the device's
// rate (every coalesced sample, its own timestamp, as the core stores them), where a field's value
// came from (typed, pasted, filled by a program; never the value), a block that ends the session in
// the page and at the edge, and what it costs: bytes per minute of movement and handler time per
// event (measured and printed, not asserted). Figures go to docs/collector.md.
import { gzipSync } from 'node:zlib';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient, type Client } from '@libsql/client';
import { chromium, devices, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, chromiumArgs, hasChromium, openDemo, press, startStack, typeHuman, rng, type Seen, type Stack } from './harness.ts';

type Ev = { type: string; t: number; x?: number; y?: number; field?: string; state?: string; pointerType?: string; button?: number };
type Batch = { sessionId: string; batchId: string; seq: number; events: Ev[] };

const batchesOf = (requests: Seen[]) =>
  requests.filter((r) => r.method === 'POST' && r.url.endsWith('/v1/events')).map((r) => ({ ...r, batch: JSON.parse(r.body) as Batch }));

async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every batch answered 200 and nothing left in the page's buffer. */
async function drained(tab: Page, requests: Seen[]): Promise<boolean> {
  const b = batchesOf(requests);
  if (!b.length || !b.every((r) => r.status === 200)) return false;
  return tab.evaluate(() => JSON.parse(Cadence.export()).events.length === 0);
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
  const mean = s.reduce((a, b) => a + b, 0) / (s.length || 1);
  return `n=${s.length} mean=${mean.toFixed(4)} p50=${q(0.5).toFixed(4)} p99=${q(0.99).toFixed(4)} max=${(s[s.length - 1] ?? NaN).toFixed(4)} ms`;
};

describe.skipIf(!hasChromium)('collector at the device\'s rate, input provenance, a final block (issue 22)', () => {
  let stack: Stack;
  let dir: string;
  let db: Client;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'cadence-rate-'));
    const url = `file:${path.join(dir, 'core.db')}`;
    stack = await startStack({ core: { CADENCE_DB_URL: url } });
    db = createClient({ url });
  }, 120_000);
  afterAll(async () => {
    db?.close();
    await stack?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** The events the core stored for a session, in order. */
  const stored = async (sessionId: string) =>
    (await db.execute({ sql: 'SELECT e.type, e.t, e.x, e.y, e.field, e.state, e.pointer_type AS pointerType FROM events e JOIN batches b ON b.session_id = e.session_id AND b.batch_id = e.batch_id WHERE e.session_id = ? ORDER BY b.seq, e.idx', args: [sessionId] })).rows as unknown as Ev[];

  const increasing = (ts: number[]) => ts.every((t, i) => i === 0 || t > ts[i - 1]!);

  it('keeps every pointer sample: mouse.move(steps: 50), as a burst and over ~500 ms, stored with increasing timestamps', async () => {
    // Each path in its own session, sent as one batch after it: a straight, even path is what
    // detection looks for, and a block would stop the collector before the next path.
    const path = async (name: string, move: (tab: Page) => Promise<void>) => {
      const { tab, net } = await openDemo(stack, 'login', 'flushMs=60000', true);
      const sessionId = await until('a session id', () => tab.evaluate(() => Cadence.export()).then((s) => JSON.parse(s).sessionId as string | undefined));
      await tab.mouse.move(100, 100);
      await tab.waitForTimeout(300);
      await tab.evaluate(() => Cadence.flush());
      await until('the first batch', () => drained(tab, net.requests));
      const before = (await stored(sessionId)).filter((e) => e.type === 'pointermove').length;
      const t0 = Date.now();
      await move(tab);
      const ms = Date.now() - t0;
      await tab.waitForTimeout(100);
      await tab.evaluate(() => Cadence.flush());
      await until('the batches to be taken', () => drained(tab, net.requests));
      const sent = batchesOf(net.requests).flatMap((r) => r.batch.events).filter((e) => e.type === 'pointermove').length;
      const events = await until('the core to store the moves', async () => { const e = await stored(sessionId); return e.filter((x) => x.type === 'pointermove').length >= sent ? e : undefined; }, 20_000);
      const moves = events.filter((e) => e.type === 'pointermove').slice(before);
      const answers = batchesOf(net.requests).map((r) => `${String(r.answer?.decision)} ${String(r.answer?.score)} [${String(r.answer?.reasons)}]`);
      console.info(`pointer ${name}: 50 steps in ${ms} ms -> ${moves.length} samples stored; answers: ${answers.join('; ')}`);
      await tab.close();
      return moves;
    };
    const burst = await path('burst (mouse.move steps: 50)', (tab) => tab.mouse.move(700, 500, { steps: 50 }));
    const paced = await path('over ~500 ms (50 moves 10 ms apart)', async (tab) => {
      for (let i = 1; i <= 50; i++) {
        await tab.mouse.move(100 + i * 10, 100 + i * 6 + (i % 4));
        await tab.waitForTimeout(10);
      }
    });
    for (const moves of [burst, paced]) {
      expect(moves.length).toBeGreaterThanOrEqual(45);
      expect(increasing(moves.map((e) => e.t))).toBe(true);
      // Mouse moves omit pointerType (the schema's default, mouse): the byte budget of a sample.
      expect(moves.every((e) => e.pointerType === null || e.pointerType === undefined)).toBe(true);
    }
  });

  it('keeps every touch sample on an emulated phone (50 moves of one finger), stored with increasing timestamps', async () => {
    // Without overscroll history navigation: a sideways swipe on a page with nothing to scroll sideways
    // is otherwise Chromium's "back" gesture, which leaves the page.
    // A person's phone: navigator.webdriver off (chromiumArgs), or the session is blocked before the moves are in.
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...chromiumArgs(), '--disable-features=OverscrollHistoryNavigation'] });
    try {
      const context = await browser.newContext({ ...devices['Pixel 7'] });
      const tab = await context.newPage();
      const net: Seen[] = [];
      tab.on('request', (r) => { if (r.url().endsWith('/v1/events')) { const s: Seen = { at: Date.now(), url: r.url(), method: r.method(), body: r.postData() ?? '' }; net.push(s); void r.response().then((res) => { s.status = res?.status(); }); } });
      await tab.goto(`${stack.edge.url}/demo/transfer?flushMs=400`);
      await tab.tap('#allow');
      const sessionId = await until('a session id', () => tab.evaluate(() => Cadence.export()).then((s) => JSON.parse(s).sessionId as string | undefined));
      const cdp = await context.newCDPSession(tab);
      const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', x: number, y: number) =>
        cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x, y, radiusX: 4, radiusY: 4, force: 0.6, id: 1 }] });
      // A horizontal stroke over the form (nothing to scroll sideways), 50 moves about 10 ms apart.
      await touch('touchStart', 60, 420);
      const t0 = Date.now();
      for (let i = 1; i <= 50; i++) {
        await touch('touchMove', 60 + i * 5, 420 + (i % 3));
        await tab.waitForTimeout(10);
      }
      const ms = Date.now() - t0;
      await touch('touchEnd', 0, 0);
      await tab.waitForTimeout(500);
      await until('the batches to be taken', () => drained(tab, net));
      const events = await until('the core to store the touch moves', async () => { const e = await stored(sessionId); return e.filter((x) => x.type === 'touchmove').length >= 45 ? e : undefined; }, 20_000);
      const moves = events.filter((e) => e.type === 'touchmove');
      console.info(`touch: 50 moves over ${ms} ms -> ${moves.length} stored touchmove samples; types ${[...new Set(events.map((e) => e.type))].join(',')}`);
      expect(moves.length).toBeGreaterThanOrEqual(45);
      expect(increasing(moves.map((e) => e.t))).toBe(true);
      await context.close();
    } finally {
      await browser.close();
    }
  });

  it('says which field was typed, filled by a program or pasted, with timings only and no value', async () => {
    const { tab, net } = await openDemo(stack, 'transfer', 'flushMs=400', true);
    await stack.browser.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.edge.url });
    const PAYEE = 'Quentin Zephyr';
    const ACCOUNT = '99887766554433';
    const AMOUNT = '4321.09';
    // Pressed as a hand does, so that only the provenance under test is automated (the session's
    // standing stays below block and every batch is taken).
    const hand = rng(3);
    await press(tab, '#payee', hand);
    await typeHuman(tab, PAYEE, hand);
    await tab.fill('#account', ACCOUNT);
    await tab.evaluate((v) => navigator.clipboard.writeText(v), AMOUNT);
    await press(tab, '#amount', hand);
    await tab.keyboard.press('ControlOrMeta+V');
    // A script that sets the value and dispatches input itself.
    await tab.evaluate(() => {
      const el = document.getElementById('reference') as HTMLInputElement;
      el.value = 'set by script';
      el.dispatchEvent(new Event('input', { bubbles: true }));
    });
    expect(await tab.inputValue('#amount')).toBe(AMOUNT);
    await tab.waitForTimeout(600);
    await until('the batches', () => drained(tab, net.requests));
    const posts = batchesOf(net.requests);
    const inputs = posts.flatMap((p) => p.batch.events).filter((e) => e.type === 'input');
    console.info('provenance:', inputs.map((e) => `${e.field}:${e.state}@${e.t}`).join(' '));
    const states = (field: string) => [...new Set(inputs.filter((e) => e.field === field).map((e) => e.state))];
    expect(states('payee')).toEqual(['typed']);
    expect(states('account')).toEqual(['programmatic']);
    expect(states('amount')).toEqual(['paste']);
    // A page script's value (a password manager extension sets it so too) is not page.fill.
    expect(states('reference')).toEqual(['script']);
    // Typed is said once per field and batch, not per key.
    expect(inputs.filter((e) => e.field === 'payee').length).toBeLessThanOrEqual(posts.length);
    for (const e of inputs) expect(Object.keys(e).sort()).toEqual(['field', 'state', 't', 'type']);
    // Timestamps left out: a time such as 4321.1 ms is not the amount.
    const all = posts.map((p) => p.body.replace(/"t":[0-9.]+/g, '"t":0')).join('\n');
    for (const v of [PAYEE, 'Quentin', ACCOUNT, '998877', AMOUNT, '4321', 'set by script']) expect(all).not.toContain(v);
    // The core stored them as sent.
    const core = await until('the core to store the inputs', async () => { const e = await stored(posts[0]!.batch.sessionId); return e.filter((x) => x.type === 'input').length >= inputs.length ? e : undefined; });
    expect(core.filter((e) => e.type === 'input').map((e) => `${e.field}:${e.state}`)).toEqual(inputs.map((e) => `${e.field}:${e.state}`));
    await tab.close();
  });

  it('ends the session in the page after a block over the WebSocket: no new socket, the block shown, and the edge refuses the session with 403', async () => {
    const { tab, net } = await openDemo(stack, 'login', 'flushMs=300&transport=stream', true);
    let sockets = 0;
    let blockedAt = 0;
    tab.on('websocket', () => sockets++);
    // A bot: zero-delay keys and jumps, window after window, until the edge blocks the session.
    for (let round = 0; round < 12 && !net.pushes.some((p) => p.type === 'session_blocked'); round++) {
      await tab.click(round % 2 ? '#password' : '#username');
      await tab.keyboard.type('abcdefghijklmnopqrstuvwxyz0123456789');
      await tab.waitForTimeout(700);
    }
    await until('session_blocked', () => net.pushes.some((p) => p.type === 'session_blocked'));
    blockedAt = Date.now();
    const socketsAtBlock = sockets;
    await tab.waitForSelector('#blocked:not([hidden])');
    expect(await tab.getAttribute('#decision', 'data-decision')).toBe('block');
    expect(await tab.evaluate(() => (Cadence as unknown as { export(): string }).export())).toContain('"consent":false');
    // The page goes on being used: typing, moving, scrolling, flush attempts; the collector stays stopped.
    const framesAtBlock = net.frames.length;
    // The bar: no new socket within 30 s of the block, with the page in use all along.
    const until30 = Date.now() + 30_000;
    while (Date.now() < until30) {
      await tab.click('#username');
      await tab.keyboard.type('more keys', { delay: 30 });
      await tab.mouse.move(100 + Math.random() * 500, 100 + Math.random() * 400, { steps: 5 });
      await tab.evaluate(() => Cadence.flush());
      await tab.waitForTimeout(400);
    }
    console.info(`block: ${socketsAtBlock} socket(s) until the block, ${sockets - socketsAtBlock} after it in ${((Date.now() - blockedAt) / 1000).toFixed(1)} s of use; frames after it: ${net.frames.length - framesAtBlock}`);
    expect(sockets).toBe(socketsAtBlock);
    expect(net.frames.length).toBe(framesAtBlock);
    expect(await tab.getAttribute('#decision', 'data-decision')).toBe('block');
    // The edge: a further POST of that session is refused.
    const sessionId = String(net.pushes.find((p) => p.type === 'session_blocked')!.sessionId);
    const res = await fetch(`${stack.edge.url}/v1/events`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sessionId, batchId: 'after-block-1', seq: 999, consent: true, events: [{ type: 'focus', t: 1, field: 'username' }] }),
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('session_blocked');
    await tab.close();
  });

  it('reports what detection sees of a Playwright click at the device\'s rate (figures for the detection rules)', async () => {
    const { tab, net } = await openDemo(stack, 'login', 'flushMs=60000', true);
    for (const [x, y] of [[100, 100], [500, 100], [500, 400], [100, 400]] as const) await tab.mouse.move(x, y);
    await tab.click('#username'); // one move onto the target, then the press
    await tab.mouse.move(600, 650, { steps: 20 });
    await tab.click('button[type=submit]');
    await until('the answer', () => drained(tab, net.requests));
    const posts = batchesOf(net.requests);
    const ev = posts.flatMap((p) => p.batch.events);
    const downs = ev.map((e, i) => [e, i] as const).filter(([e]) => e.type === 'pointerdown');
    for (const [d, i] of downs) {
      const moves = ev.slice(0, i).filter((e) => e.type === 'pointermove');
      const [a, b] = moves.slice(-2);
      if (!a || !b) continue;
      console.info(`click: last step ${Math.hypot(b.x! - a.x!, b.y! - a.y!).toFixed(0)} px in ${(b.t - a.t).toFixed(1)} ms, press ${(d.t - b.t).toFixed(1)} ms after it`);
    }
    console.info('click answers:', posts.map((p) => `${String(p.answer?.decision)} ${String(p.answer?.score)} [${String(p.answer?.reasons)}]`).join('; '));
    expect(downs.length).toBe(2);
    await tab.close();
  });

  it('measures bytes per minute of movement and the handler time per event (figures, no assertions on time)', async () => {
    const { tab, net } = await openDemo(stack, 'login', 'flushMs=1000', true);
    // Listeners on window's capture phase run in the order they were added: one added before the
    // collector's (at consent) and one after it bracket the collector's own handler for each event.
    await tab.evaluate(() => {
      const w = window as unknown as { __cost: Record<string, number[]> };
      w.__cost = {};
      const types = ['pointermove', 'pointerrawupdate', 'keydown', 'keyup', 'beforeinput', 'input', 'pointerdown', 'pointerup', 'wheel'];
      Cadence.withdrawConsent();
      let t0 = 0;
      for (const type of types) window.addEventListener(type, () => void (t0 = performance.now()), { capture: true, passive: true });
      Cadence.grantConsent();
      for (const type of types) window.addEventListener(type, () => void (w.__cost[type] ??= []).push(performance.now() - t0), { capture: true, passive: true });
    });
    const t0 = Date.now();
    let steps = 0;
    // About 5 s of continuous movement, a step every ~4 ms (the rate the page gets them is measured).
    while (Date.now() - t0 < 5000) {
      await tab.mouse.move(200 + 300 * Math.sin(steps / 40), 300 + 200 * Math.cos(steps / 55));
      steps++;
    }
    const seconds = (Date.now() - t0) / 1000;
    await tab.click('#username');
    await tab.keyboard.type('measure the keys too', { delay: 20 });
    await tab.waitForTimeout(1500);
    const cost = await tab.evaluate(() => (window as unknown as { __cost: Record<string, number[]> }).__cost);
    const posts = await until('the batches', () => { const b = batchesOf(net.requests); return b.length && b.every((r) => r.status === 200) ? b : undefined; });
    const moves = posts.flatMap((p) => p.batch.events).filter((e) => e.type === 'pointermove');
    const perSample = moves.reduce((n, e) => n + JSON.stringify(e).length + 1, 0) / moves.length;
    // A batch of movement only, as the collector cuts it (500 events), raw and gzipped.
    const full = { sessionId: posts[0]!.batch.sessionId, batchId: 'x.1', seq: 1, consent: true, context: { page: '/demo/login', language: 'en-US', screen: { width: 1100, height: 800 } }, events: moves.slice(0, 500) };
    const raw = Buffer.byteLength(JSON.stringify(full));
    const gz = gzipSync(JSON.stringify(full)).length;
    const rate = moves.length / seconds;
    console.info(`movement: ${moves.length} samples in ${seconds.toFixed(1)} s (${rate.toFixed(0)} Hz here, ${steps} steps sent); ${perSample.toFixed(1)} bytes per sample in JSON; a batch of ${full.events.length} moves: ${raw} bytes, ${gz} gzipped (${(gz / full.events.length).toFixed(1)} per sample)`);
    for (const hz of [60, 125, 250, 500, 1000]) {
      const perMin = hz * 60;
      console.info(`  at ${hz} Hz: ${perMin} samples/min, ${Math.ceil(perMin / 500)} batches/min, ${((perMin / 500) * raw / 1024).toFixed(0)} KB/min raw, ${((perMin / 500) * gz / 1024).toFixed(0)} KB/min gzipped`);
    }
    const sizes = posts.map((p) => Buffer.byteLength(p.body));
    console.info(`batches sent: ${posts.length}, events ${posts.map((p) => p.batch.events.length).join('/')}, bytes ${sizes.join('/')}`);
    for (const [type, xs] of Object.entries(cost)) console.info(`handler ${type}: ${stats(xs)}`);
    expect(moves.length).toBeGreaterThan(0);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(60_000);
    await tab.close();
  });
});
