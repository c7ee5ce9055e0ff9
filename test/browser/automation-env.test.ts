// Automation tooling driving a real Chromium on the demo login page, against a real core and edge:
// what the page says of its own browser (navigator.webdriver; capitals typed against the Shift state,
// counted; presses on a control's exact centre, counted) and how fields were filled (page.fill) reach
// the decision. Playwright's defaults are caught; with the webdriver flag hidden its typing, its
// click() and its fill are still named; a person's drive (Shift held around capitals, human delays, a
// mouse that travels and pauses and presses off-centre) is allowed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, chromiumArgs, hasChromium, openDemo, rng, startStack, typeHuman, WINDOWED_UA, type Seen, type Stack } from './harness.ts';

const EMAIL = 'Ana.Pereira@Example.com';
const PHONE_UA = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';
const PASSWORD = 'Tr0ub4dor&3Zebra';

type Posted = Seen & { batch: { events: { type: string; state?: string; field?: string }[] } };
const batchesOf = (requests: Seen[]): Posted[] =>
  requests.filter((r) => r.method === 'POST' && r.url.endsWith('/v1/events')).map((r) => ({ ...r, batch: JSON.parse(r.body) as Posted['batch'] }));

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Submits, then waits for every batch's answer; returns the answers and what the batches carried. */
async function submit(tab: Page, net: { requests: Seen[] }, how: 'click' | 'person' = 'click') {
  if (how === 'click') await tab.click('button[type=submit]');
  else await pressLikeAPerson(tab, '#form button[type=submit]', rng(5));
  await tab.waitForSelector('#decision:not([data-decision=none])');
  const posts = await until('the answers', () => { const b = batchesOf(net.requests); return b.length && b.every((r) => r.answer) ? b : undefined; });
  const answers = posts.map((p) => p.answer as { decision: string; score: number; reasons: string[]; judged: boolean });
  const environment = posts.flatMap((p) => p.batch.events).filter((e) => e.type === 'environment').map((e) => e.state!);
  const inputs = posts.flatMap((p) => p.batch.events).filter((e) => e.type === 'input').map((e) => `${e.field}:${e.state}`);
  const shown = await tab.getAttribute('#decision', 'data-decision');
  return { answers, environment, inputs, shown, reasons: [...new Set(answers.flatMap((a) => a.reasons ?? []))] };
}

/** A hand on a mouse: travels to the element in many small steps, pauses, then presses and releases. */
async function pressLikeAPerson(tab: Page, selector: string, random: () => number) {
  const box = (await tab.locator(selector).boundingBox())!;
  const x = box.x + box.width * (0.3 + 0.4 * random());
  const y = box.y + box.height * (0.3 + 0.4 * random());
  // Two legs with a bend, as a wrist moves: not one straight line.
  await tab.mouse.move((x + 200) / 2 + 40 * random(), (y + 120) / 2 - 30, { steps: 14 });
  await tab.waitForTimeout(80 + random() * 60);
  await tab.mouse.move(x, y, { steps: 18 });
  await tab.waitForTimeout(250 + random() * 200);
  await tab.mouse.down();
  await tab.waitForTimeout(70 + random() * 50);
  await tab.mouse.up();
  await tab.waitForTimeout(150 + random() * 100);
}

/** The login typed as a person types it (see typeHuman), with the pointer moved by hand. */
async function driveLikeAPerson(tab: Page, random: () => number) {
  await tab.mouse.move(420, 300, { steps: 16 });
  await tab.waitForTimeout(400);
  await pressLikeAPerson(tab, '#username', random);
  await typeHuman(tab, EMAIL, random);
  await tab.waitForTimeout(600);
  await pressLikeAPerson(tab, '#password', random);
  await typeHuman(tab, PASSWORD, random);
  await tab.waitForTimeout(500);
}

describe.skipIf(!hasChromium)('automation tooling in a real Chromium', () => {
  let stack: Stack;
  let automated: Browser;
  beforeAll(async () => {
    // The stack's browser hides navigator.webdriver (chromiumArgs); `automated` is Playwright's default launch.
    stack = await startStack();
    automated = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: chromiumArgs({ webdriver: true }) });
  }, 120_000);
  afterAll(async () => {
    await automated?.close().catch(() => undefined);
    await stack?.stop();
  });

  it("challenges or blocks Playwright's default launch typing on the login page, naming webdriver", async () => {
    const context = await automated.newContext({ viewport: { width: 1100, height: 800 } });
    const { tab, net } = await openDemo({ edge: stack.edge, browser: context }, 'login', 'flushMs=60000', true);
    expect(await tab.evaluate(() => navigator.webdriver)).toBe(true);
    await tab.click('#username');
    await tab.keyboard.type(EMAIL);
    await tab.click('#password');
    await tab.keyboard.type(PASSWORD);
    const r = await submit(tab, net);
    console.info('default launch:', r.answers.map((a) => `${a.decision} ${a.score} [${a.reasons}]`).join('; '), '| environment:', r.environment.join(' '));
    expect(r.environment).toContain('webdriver');
    expect(['challenge', 'block']).toContain(r.answers.at(-1)!.decision);
    expect(r.reasons).toContain('webdriver');
    expect(['challenge', 'block']).toContain(r.shown);
    await context.close();
  });

  it('challenges the same person-like drive in a browser that says it is automated (only what the browser says)', async () => {
    const context = await automated.newContext({ viewport: { width: 1100, height: 800 } });
    const { tab, net } = await openDemo({ edge: stack.edge, browser: context }, 'login', 'flushMs=60000', true);
    await driveLikeAPerson(tab, rng(22));
    const r = await submit(tab, net, 'person');
    console.info('person-like drive, webdriver:', r.answers.map((a) => `${a.decision} ${a.score} [${a.reasons}]`).join('; '));
    // What the browser says of itself, and where its windowless page sits: nothing of the drive.
    expect([...new Set(r.environment)].sort()).toEqual(['detached', 'headless', 'webdriver']);
    expect(['challenge', 'block']).toContain(r.answers.at(-1)!.decision);
    expect(r.reasons).toContain('webdriver');
    await context.close();
  });

  // A phone's soft keyboard sends each key's keydown and keyup back to back (iOS with the key's
  // identity): no finger holds a key for 1 ms, yet this is a person. The page says it has a touch
  // screen, and the holds rule stands aside.
  it("says a phone has a touch screen, and a soft keyboard's back-to-back keys are not called implausible holds", async () => {
    const phone = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: chromiumArgs() });
    const context = await phone.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, userAgent: PHONE_UA });
    const { tab, net } = await openDemo({ edge: stack.edge, browser: context }, 'login', 'flushMs=60000', true);
    expect(await tab.evaluate(() => navigator.maxTouchPoints > 0)).toBe(true);
    const random = rng(31);
    for (const [field, text] of [['#username', 'ana.pereira@example.com'], ['#password', 'tr0ub4dor3zebra']] as const) {
      const box = (await tab.locator(field).boundingBox())!;
      await tab.touchscreen.tap(box.x + box.width * (0.2 + 0.3 * random()), box.y + box.height * (0.3 + 0.4 * random()));
      await tab.waitForTimeout(500);
      for (const ch of text) {
        await tab.keyboard.press(ch); // keydown and keyup at once, as a soft keyboard sends them
        await tab.waitForTimeout(160 + 180 * random());
      }
    }
    const box = (await tab.locator('#form button[type=submit]').boundingBox())!;
    await tab.touchscreen.tap(box.x + box.width * 0.3, box.y + box.height * 0.6);
    await tab.waitForSelector('#decision:not([data-decision=none])');
    const posts = await until('the answers', () => { const b = batchesOf(net.requests); return b.length && b.every((p) => p.answer) ? b : undefined; });
    const answers = posts.map((p) => p.answer as { decision: string; reasons: string[] });
    console.info('soft keyboard on a phone:', answers.map((a) => `${a.decision} [${a.reasons}]`).join('; '));
    const keyed = posts.filter((p) => p.batch.events.some((e) => e.type === 'keydown'));
    expect(keyed.length).toBeGreaterThan(0);
    for (const p of keyed) expect(p.batch.events.filter((e) => e.type === 'environment').map((e) => e.state)).toContain('touch');
    expect(answers.flatMap((a) => a.reasons)).not.toContain('implausible_holds');
    await phone.close();
  });

  it('with webdriver hidden, names capitals typed without Shift (counted, not which) and challenges or blocks', async () => {
    const { tab, net } = await openDemo(stack, 'login', 'flushMs=60000', true);
    expect(await tab.evaluate(() => navigator.webdriver)).toBe(false);
    await tab.click('#username');
    // Human-like pace between keys: only what the keys themselves say gives it away.
    await tab.keyboard.type(EMAIL, { delay: 140 });
    await tab.click('#password');
    await tab.keyboard.type(PASSWORD, { delay: 140 });
    const r = await submit(tab, net);
    console.info('keyboard.type, no webdriver:', r.answers.map((a) => `${a.decision} ${a.score} [${a.reasons}]`).join('; '), '| environment:', r.environment.join(' '));
    expect(r.environment).not.toContain('webdriver');
    // Five capitals typed, none with Shift; the lowercase letters agree with it.
    const counts = r.environment.filter((s) => s.startsWith('case:'));
    expect(counts.length).toBeGreaterThan(0);
    let [mismatched, checked] = [0, 0];
    for (const s of counts) {
      const [m, n] = s.slice(5).split('/').map(Number) as [number, number];
      [mismatched, checked] = [mismatched + m, checked + n];
    }
    expect(mismatched).toBe(5);
    expect(checked).toBeGreaterThan(mismatched);
    expect(r.reasons).toContain('case_without_shift');
    expect(['challenge', 'block']).toContain(r.answers.at(-1)!.decision);
    // Counts only: no batch carries a letter.
    for (const p of batchesOf(net.requests)) for (const v of ['Ana', 'Pereira', 'Zebra', 'Tr0ub']) expect(p.body).not.toContain(v);
    await tab.close();
  });

  // A field filled whole with no key may be a person's dictation, so page.fill alone is watched, not
  // challenged: a login's two fields in one window are monitored, and any other family challenges.
  it('with webdriver hidden, names page.fill of the login form (text inserted whole with no key) and monitors it', async () => {
    const { tab, net } = await openDemo(stack, 'login', 'flushMs=60000', true);
    await tab.fill('#username', EMAIL);
    await tab.fill('#password', PASSWORD);
    await tab.keyboard.press('Enter');
    await tab.waitForSelector('#decision:not([data-decision=none])');
    const posts = await until('the answers', () => { const b = batchesOf(net.requests); return b.length && b.every((p) => p.answer) ? b : undefined; });
    const answers = posts.map((p) => p.answer as { decision: string; reasons: string[] });
    const inputs = posts.flatMap((p) => p.batch.events).filter((e) => e.type === 'input').map((e) => `${e.field}:${e.state}`);
    console.info('page.fill, no webdriver:', answers.map((a) => `${a.decision} [${a.reasons}]`).join('; '), '| inputs:', inputs.join(' '));
    expect(inputs).toEqual(expect.arrayContaining(['username:programmatic', 'password:programmatic']));
    expect(answers.flatMap((a) => a.reasons)).toContain('keyless_form_fill');
    expect(answers.at(-1)!.decision).toBe('monitor');
    await tab.close();
  });

  // click() of automation tooling presses the exact centre of the element's box; a hand lands anywhere on it.
  it('with webdriver hidden, names click() on the centres of the login controls, and with page.fill challenges', async () => {
    const { tab, net } = await openDemo(stack, 'login', 'flushMs=60000', true);
    await tab.click('#username');
    await tab.fill('#username', EMAIL);
    await tab.click('#password');
    await tab.fill('#password', PASSWORD);
    const r = await submit(tab, net);
    console.info('click() + page.fill, no webdriver:', r.answers.map((a) => `${a.decision} ${a.score} [${a.reasons}]`).join('; '), '| environment:', r.environment.join(' '));
    // Three presses (two fields and the button), every one on its control's centre; counts only.
    const centred = r.environment.filter((s) => s.startsWith('centre:')).map((s) => s.slice(7).split('/').map(Number) as [number, number]);
    expect(centred.reduce((n, [m]) => n + m, 0)).toBe(3);
    expect(r.reasons).toEqual(expect.arrayContaining(['keyless_form_fill', 'centred_clicks']));
    expect(['challenge', 'block']).toContain(r.answers.at(-1)!.decision);
    await tab.close();
  });

  it('names a headless Chromium by its user agent even with webdriver hidden, and challenges a person-like drive in it', async () => {
    const headless = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: chromiumArgs() });
    try {
      const context = await headless.newContext({ viewport: { width: 1100, height: 800 } });
      const { tab, net } = await openDemo({ edge: stack.edge, browser: context }, 'login', 'flushMs=60000', true);
      expect(await tab.evaluate(() => [navigator.webdriver, /HeadlessChrome/.test(navigator.userAgent)])).toEqual([false, true]);
      await driveLikeAPerson(tab, rng(23));
      const r = await submit(tab, net, 'person');
      console.info('person-like drive, headless:', r.answers.map((a) => `${a.decision} ${a.score} [${a.reasons}]`).join('; '));
      expect(r.environment).toContain('headless');
      expect(r.reasons).toContain('headless_browser');
      expect(['challenge', 'block']).toContain(r.answers.at(-1)!.decision);
    } finally {
      await headless.close();
    }
  });

  it('names a headless Chromium under a windowed user agent by where its page sits (detached_viewport), whatever the drive', async () => {
    const headless = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: chromiumArgs() });
    try {
      // What stealth plugins give: webdriver hidden, a windowed user agent; the window keeps no toolbars.
      const context = await headless.newContext({ viewport: { width: 1100, height: 800 }, userAgent: WINDOWED_UA });
      const { tab, net } = await openDemo({ edge: stack.edge, browser: context }, 'login', 'flushMs=60000', true);
      expect(await tab.evaluate(() => [navigator.webdriver, /HeadlessChrome/.test(navigator.userAgent), outerHeight === innerHeight])).toEqual([false, false, true]);
      await driveLikeAPerson(tab, rng(29));
      const r = await submit(tab, net, 'person');
      console.info('person-like drive, headless under a windowed user agent:', r.answers.map((a) => `${a.decision} ${a.score} [${a.reasons}]`).join('; '));
      expect(r.environment).toContain('detached');
      expect(r.environment).not.toContain('headless');
      expect(r.reasons).toContain('detached_viewport');
      // One window (the page flushes once): watched; a second window with it would challenge.
      expect(r.answers.at(-1)!.decision).toMatch(/^(monitor|challenge|block)$/);
    } finally {
      await headless.close();
    }
  });

  it('does not name a page that stays on its screen though its window reports no toolbars (an embedded WebView2)', async () => {
    const headless = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: chromiumArgs() });
    try {
      // The same windowless geometry, but a screen larger than the window: the page is on it.
      const context = await headless.newContext({ viewport: { width: 1100, height: 800 }, screen: { width: 1920, height: 1080 }, userAgent: WINDOWED_UA });
      const { tab, net } = await openDemo({ edge: stack.edge, browser: context }, 'login', 'flushMs=60000', true);
      await driveLikeAPerson(tab, rng(31));
      const r = await submit(tab, net, 'person');
      expect(r.environment).not.toContain('detached');
      expect(r.reasons).not.toContain('detached_viewport');
    } finally {
      await headless.close();
    }
  });

  it("allows a person's drive: Shift held around capitals, human delays, a mouse that travels and pauses", async () => {
    const { tab, net } = await openDemo(stack, 'login', 'flushMs=60000', true);
    await driveLikeAPerson(tab, rng(21));
    const r = await submit(tab, net, 'person');
    console.info('person:', r.answers.map((a) => `${a.decision} ${a.score} [${a.reasons}]`).join('; '), '| environment:', r.environment.join(' ') || '(none)');
    expect(r.environment).toEqual([]);
    expect(r.answers.some((a) => a.judged)).toBe(true);
    for (const a of r.answers) expect(a.decision, JSON.stringify(a)).toMatch(/^(allow|monitor)$/);
    expect(r.shown).toMatch(/^(allow|monitor)$/);
    await tab.close();
  });
});
