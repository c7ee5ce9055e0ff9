// The collector in a real browser (Debian's Chromium) against a real core and a real Node edge: a
// person typing is allowed, a bot is challenged or blocked, consent gates every request, retries
// reuse batch ids and store nothing twice, key values never leave the page, the bundle stays small.
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Options } from '../../collector/index.ts';
import { ARTIFACTS, hasChromium, openDemo, press, rng, sessionRisk, SHIFTED, startStack, typeHuman, type Seen, type Stack } from './harness.ts';

if (!hasChromium) console.warn('browser tests skipped: /usr/bin/chromium is missing (apt-get install -y chromium; .ci/run installs it)');

const EMAIL = 'ana.pereira@example.com';
const PASSWORD = 'Tr0ub4dor&3zebra';
// The fields an event may carry, straight from the edge's schema (scoring/batch.ts).
const EVENT_FIELDS = new Set(['type', 't', 'keyClass', 'field', 'position', 'x', 'y', 'dx', 'dy', 'button', 'pressure', 'pointerType', 'state']);

const batchesOf = (requests: Seen[]) =>
  requests.filter((r) => r.method === 'POST' && r.url.endsWith('/v1/events')).map((r) => ({ ...r, batch: JSON.parse(r.body) as { batchId: string; sessionId: string; seq: number; events: Record<string, unknown>[] } }));

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!hasChromium)('collector in Chromium', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('serves /v1/sdk.js under 8 KB gzipped, with an ETag that revalidates', async () => {
    const res = await fetch(`${stack.edge.url}/v1/sdk.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/javascript/);
    expect(res.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const body = await res.text();
    const gz = gzipSync(body, { level: 9 }).length;
    console.info(`sdk.js: ${body.length} bytes, ${gz} bytes gzipped`);
    expect(gz).toBeLessThanOrEqual(8192);
    const again = await fetch(`${stack.edge.url}/v1/sdk.js`, { headers: { 'if-none-match': res.headers.get('etag')! } });
    expect(again.status).toBe(304);
    expect((await fetch(`${stack.edge.url}/v1/sdk.mjs`)).status).toBe(200);
  });

  it('allows a person typing credentials with human timing', async () => {
    const { tab, net } = await openDemo(stack, 'login', 'flushMs=60000', true);
    const random = rng(7);
    await tab.mouse.move(300, 200, { steps: 12 });
    await press(tab, '#username', random);
    await typeHuman(tab, EMAIL, random);
    await press(tab, '#password', random);
    await typeHuman(tab, PASSWORD, random);
    await press(tab, '#form button[type=submit]', random);
    await tab.waitForSelector('#decision:not([data-decision=none])');
    const posts = await until('an answer', () => { const b = batchesOf(net.requests); return b.every((r) => r.answer) && b.length ? b : undefined; });
    const judged = posts.filter((p) => p.answer?.judged);
    expect(judged.length).toBeGreaterThan(0);
    console.info('person:', judged.map((p) => `${p.answer?.decision} ${p.answer?.score}`).join('; '));
    for (const p of judged) expect(p.answer?.decision, JSON.stringify(p.answer)).toBe('allow');
    expect(await tab.getAttribute('#decision', 'data-decision')).toBe('allow');
    await tab.screenshot({ path: path.join(ARTIFACTS, 'login-allowed.png'), fullPage: true });
    await tab.close();
  });

  it('challenges or blocks a bot typing with zero delays and jumping the pointer', async () => {
    const { tab, net } = await openDemo(stack, 'login', 'flushMs=60000', true);
    for (const [x, y] of [[100, 100], [500, 100], [500, 400], [100, 400]] as const) await tab.mouse.move(x, y);
    await tab.click('#username');
    await tab.keyboard.type(EMAIL);
    await tab.click('#password');
    await tab.keyboard.type(PASSWORD);
    await tab.click('button[type=submit]');
    await tab.waitForSelector('#decision:not([data-decision=none])');
    const decision = await tab.getAttribute('#decision', 'data-decision');
    expect(['challenge', 'block']).toContain(decision);
    // The page reacts: the MPIN prompt on a challenge, the block notice on a block.
    await tab.waitForSelector(decision === 'challenge' ? '#mpin:not([hidden])' : '#blocked:not([hidden])');
    const judged = batchesOf(net.requests).filter((p) => p.answer?.judged);
    console.info('bot:', judged.map((p) => `${p.answer?.decision} ${p.answer?.score} ${String(p.answer?.reasons)}`).join('; '));
    expect(judged.some((p) => p.answer?.decision === decision)).toBe(true);
    await tab.screenshot({ path: path.join(ARTIFACTS, `login-bot-${decision}.png`), fullPage: true });
    await tab.close();
  });

  it('sends nothing before consent and nothing after it is withdrawn', async () => {
    const { tab, net } = await openDemo(stack, 'transfer', 'flushMs=300', false);
    await tab.click('#payee');
    await tab.keyboard.type('Jo Bloggs', { delay: 120 });
    await tab.mouse.move(400, 300, { steps: 5 });
    await tab.waitForTimeout(800);
    expect(net.requests).toHaveLength(0);
    expect(JSON.parse(await tab.evaluate(() => Cadence.export())).events).toHaveLength(0);

    await tab.click('#allow');
    await tab.click('#amount');
    await tab.keyboard.type('125.50', { delay: 120 });
    await until('a batch after consent', () => batchesOf(net.requests).length > 0 || undefined);
    await tab.click('#withdraw');
    const after = net.requests.length;
    const withdrawnAt = Date.now();
    await tab.click('#reference');
    await tab.keyboard.type('rent for june', { delay: 100 });
    await tab.mouse.move(200, 500, { steps: 10 });
    await tab.mouse.wheel(0, 300);
    await tab.waitForTimeout(1500);
    expect(net.requests.filter((r) => r.at > withdrawnAt)).toHaveLength(0);
    expect(net.requests).toHaveLength(after);
    expect(JSON.parse(await tab.evaluate(() => Cadence.export())).events).toHaveLength(0);
    await tab.close();
  });

  it('retries a batch whose answer was lost with the same batch id, and the core stores it once', async () => {
    const { tab, net } = await openDemo(stack, 'login', 'flushMs=500', true);
    let failed = 0;
    // The first batch reaches the edge and is accepted, but the browser is told 503 (a lost answer).
    await tab.route('**/v1/events', async (route) => {
      if (failed++ > 0) return route.continue();
      await route.fetch();
      await route.fulfill({ status: 503, headers: { 'retry-after': '1', 'content-type': 'application/json' }, body: '{"accepted":false,"error":{"code":"unavailable","message":"test"}}' });
    });
    await tab.click('#username');
    await tab.keyboard.type('someone@example.com', { delay: 90 });
    await tab.click('#password');
    await tab.keyboard.type('another password', { delay: 90 });
    await tab.click('button[type=submit]');
    const posts = await until('the retry and later batches', () => { const b = batchesOf(net.requests); return b.length >= 3 && b.every((r) => r.status) ? b : undefined; });
    expect(posts[0]!.status).toBe(503);
    expect(posts[1]!.batch.batchId).toBe(posts[0]!.batch.batchId);
    expect(posts[1]!.body).toBe(posts[0]!.body);
    expect(posts[1]!.answer?.duplicate).toBe(true);
    expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(900); // Retry-After: 1 was honoured
    await tab.waitForTimeout(700);
    const ids = new Set(batchesOf(net.requests).map((p) => p.batch.batchId));
    const seqs = [...new Set(batchesOf(net.requests).map((p) => p.batch.seq))];
    expect(seqs).toEqual(seqs.map((_, i) => i));
    const sessionId = posts[0]!.batch.sessionId;
    const stored = await until('the core to store every batch', async () => { const r = await sessionRisk(stack, sessionId); return r && r.batchCount >= ids.size ? r : undefined; }, 20_000);
    expect(stored.batchCount).toBe(ids.size);
    const events = batchesOf(net.requests).filter((p, i, all) => all.findIndex((q) => q.batch.batchId === p.batch.batchId) === i).reduce((n, p) => n + p.batch.events.length, 0);
    expect(stored.eventCount).toBe(events);
    await tab.close();
  });

  it('delivers what is left when the page goes away (keepalive flush on hide, sendBeacon on pagehide)', async () => {
    const { tab, net } = await openDemo(stack, 'login', 'flushMs=60000', true);
    await tab.click('#username');
    await tab.keyboard.type('leaving@example.com', { delay: 60 });
    const held = await tab.evaluate(() => JSON.parse(Cadence.export()) as { sessionId: string; events: unknown[] });
    expect(batchesOf(net.requests)).toHaveLength(0); // nothing sent yet: the flush is a minute away
    expect(held.events.length).toBeGreaterThanOrEqual(2 * 'leaving@example.com'.length);
    // Requests sent while a document unloads are not reported to its page, so the core is the witness.
    await tab.goto('about:blank');
    const stored = await until('the core to store what the page held', async () => { const r = await sessionRisk(stack, held.sessionId); return r && r.eventCount >= held.events.length ? r : undefined; }, 20_000);
    expect(stored.batchCount).toBeGreaterThanOrEqual(1);
    await tab.close();
  });

  it('never sends key values, over fetch or the stream (a known password typed)', async () => {
    for (const transport of ['fetch', 'stream'] as const) {
      const { tab, net } = await openDemo(stack, 'login', `flushMs=400&transport=${transport}`, true);
      // Typed as a person types (held keys): a bot's typing would get the session blocked, and a
      // blocked session's collector stops sending, so the count below would be cut short.
      const random = rng(transport === 'fetch' ? 11 : 12);
      await tab.click('#username');
      await typeHuman(tab, EMAIL, random);
      await tab.click('#password');
      await typeHuman(tab, PASSWORD, random);
      // A soft keyboard: text arrives by beforeinput/input with no key events (keyCode 229 path).
      await tab.keyboard.insertText('zq');
      await tab.click('button[type=submit]');
      const payloads = transport === 'fetch'
        ? await until('batches', () => { const b = batchesOf(net.requests); return b.length >= 2 && b.every((r) => r.status) ? b.map((r) => r.body) : undefined; })
        : await until('frames', () => (net.frames.length >= 2 && net.pushes.some((p) => p.type === 'ack') ? net.frames : undefined));
      await tab.waitForTimeout(600);
      const all = transport === 'fetch' ? batchesOf(net.requests).map((r) => r.body) : net.frames;
      expect(all.length).toBeGreaterThanOrEqual(payloads.length);
      let keys = 0;
      const classes = new Set<string>();
      const counted = new Set<string>();
      for (const body of all) {
        for (let i = 0; i + 4 <= PASSWORD.length; i++) expect(body).not.toContain(PASSWORD.slice(i, i + 4));
        expect(body).not.toContain('ana.pereira');
        const batch = (transport === 'stream' ? JSON.parse(body).batch : JSON.parse(body)) as { batchId: string; events: Record<string, unknown>[] };
        // A retried batch is sent again under the same id: its events count once.
        if (counted.has(batch.batchId)) continue;
        counted.add(batch.batchId);
        for (const e of batch.events) {
          for (const k of Object.keys(e)) expect(EVENT_FIELDS.has(k), `unexpected event field ${k}`).toBe(true);
          if (e.type === 'keydown' || e.type === 'keyup') {
            keys++;
            classes.add(String(e.keyClass));
          }
        }
      }
      // Every typed character became a key event pair, classified, on the right field, and so did the
      // Shift held around each capital or symbol (insertText delivers its text as one input, hence one
      // pair for 'zq').
      const shifts = [...EMAIL, ...PASSWORD].filter((c) => SHIFTED.test(c)).length;
      expect(keys).toBe(2 * (EMAIL.length + PASSWORD.length + 1 + shifts));
      expect([...classes]).toEqual(expect.arrayContaining(['letter', 'digit', 'punctuation', 'other']));
      const bodyText = all.join('\n');
      expect(bodyText).toContain('"field":"password"');
      if (transport === 'stream') expect(net.pushes.some((p) => p.type === 'decision')).toBe(true);
      await tab.close();
    }
  });

  it('is an embeddable API: init, consent, export (typed against collector/index.ts)', async () => {
    const tab = await stack.browser.newPage();
    await tab.goto(`${stack.edge.url}/demo/login`);
    const options: Options = { endpoint: stack.edge.url, consent: false, sessionId: 'embed-test-1', flushMs: 60_000 };
    const exported = await tab.evaluate(async (o) => {
      const c = Cadence.init(o);
      c.grantConsent();
      document.getElementById('username')!.focus();
      return c.export();
    }, options);
    const data = JSON.parse(exported) as { sessionId: string; consent: boolean; events: { type: string }[] };
    expect(data.sessionId).toBe('embed-test-1');
    expect(data.consent).toBe(true);
    expect(data.events.map((e) => e.type)).toEqual(['navigation', 'focus']);
    await tab.close();
  });
});

declare global {
  // The IIFE bundle's global, as pages see it.
  const Cadence: typeof import('../../collector/index.ts');
}
