// `cadence eval chromium --edge URL [--runs 10] [--styles a,b] [--seed N] [--headful] [--chromium PATH] [--json]`: automation tooling in a
// real Chromium on the demo login page of a running stack, as a bank's attacker would drive it, each
// run a fresh browser context (a new session). The styles, from the tools' defaults to a humanizer:
//
//   default          Playwright's default launch (navigator.webdriver true, HeadlessChrome):
//                    click() and keyboard.type() with no delay
//   headless-fill    webdriver hidden (--disable-blink-features=AutomationControlled), still headless:
//                    click() and fill()
//   stealth-fill     webdriver hidden and a windowed user agent (what stealth plugins do): click() and fill()
//   stealth-type     the same browser: click() and keyboard.type(text, { delay: 100 })
//   stealth-press    the same: pressSequentially() with a fixed 120 ms delay
//   stealth-random   the same: click(), then each key held 40-120 ms, 60-220 ms apart (uniform draws)
//   humanized        the same browser, a ghost-cursor-like pointer (eased Bezier to a random point on the
//                    control, 8-18 ms a step), log-normal holds and flights
//   hands            the same browser driven by bench/lib/hands.ts (Shift around capitals, a bowed
//                    pointer path, presses off-centre): our own imitation of a person
//   hands (control)  the same drive in a browser that also fakes a window's toolbars (outerHeight above
//                    innerHeight, as the tests that play a person do): a bot written against Cadence's
//                    own rules, the sanity check that the timing and pointer rules do not fire on a
//                    careful drive, not a measure of people
//
// Reported per style: sessions whose final answer (the session's standing, read from one more batch
// after the drive) is challenge or block,
// blocked, and the reasons seen. The stack must allow the demo page's origin and have the rate
// limits off (CADENCE_RATE_IP_PER_MIN=0 CADENCE_RATE_SESSION_PER_MIN=0).
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { flag, intOption, option } from './lib/args.ts';
import { press, rng, typeHuman } from './lib/hands.ts';

const EMAIL = 'ana.pereira@example.com';
const PASSWORD = 'Tr0ub4dor&3Zebra';
const WINDOWED_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const BASE_ARGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const HIDE_WEBDRIVER = '--disable-blink-features=AutomationControlled';
const SUBMIT = '#form button[type=submit]';

type Drive = (tab: Page, random: () => number) => Promise<void>;
interface Style {
  browser: 'default' | 'hidden';
  windowed: boolean;
  /** Fakes a window's toolbars above the page (headless Chromium has none: detached_viewport). */
  toolbars?: boolean;
  drive: Drive;
}

const lognormal = (random: () => number, median: number, sigma: number) =>
  median * Math.exp(sigma * Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random()));

async function byHand(tab: Page, random: () => number) {
  await tab.mouse.move(420, 300, { steps: 16 });
  await press(tab, '#username', random); await typeHuman(tab, EMAIL, random);
  await press(tab, '#password', random); await typeHuman(tab, PASSWORD, random);
  await press(tab, SUBMIT, random);
}

async function centre(tab: Page, selector: string) {
  const b = (await tab.locator(selector).boundingBox())!;
  return { b, x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

/** ghost-cursor's way: an eased cubic Bezier with random anchors to a random point on the control. */
async function glide(tab: Page, from: { x: number; y: number }, selector: string, random: () => number) {
  const { b } = await centre(tab, selector);
  const to = { x: b.x + b.width * (0.2 + 0.6 * random()), y: b.y + b.height * (0.2 + 0.6 * random()) };
  const [c1, c2] = [0.3, 0.7].map((f) => ({ x: from.x + (to.x - from.x) * f + 80 * (random() - 0.5), y: from.y + (to.y - from.y) * f + 80 * (random() - 0.5) }));
  const n = 25 + Math.floor(random() * 15);
  for (let i = 1; i <= n; i++) {
    const u = i / n;
    const t = u * u * (3 - 2 * u);
    const k = [(1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t * t, t ** 3] as const;
    await tab.mouse.move(k[0] * from.x + k[1] * c1!.x + k[2] * c2!.x + k[3] * to.x, k[0] * from.y + k[1] * c1!.y + k[2] * c2!.y + k[3] * to.y);
    await tab.waitForTimeout(8 + random() * 10);
  }
  await tab.waitForTimeout(100 + random() * 200);
  await tab.mouse.down();
  await tab.waitForTimeout(lognormal(random, 90, 0.3));
  await tab.mouse.up();
  return to;
}

export const STYLES: Record<string, Style> = {
  default: { browser: 'default', windowed: false, drive: async (tab) => {
    await tab.click('#username'); await tab.keyboard.type(EMAIL); await tab.click('#password'); await tab.keyboard.type(PASSWORD); await tab.click(SUBMIT);
  } },
  'headless-fill': { browser: 'hidden', windowed: false, drive: async (tab) => {
    await tab.click('#username'); await tab.fill('#username', EMAIL); await tab.click('#password'); await tab.fill('#password', PASSWORD); await tab.click(SUBMIT);
  } },
  'stealth-fill': { browser: 'hidden', windowed: true, drive: async (tab) => {
    await tab.click('#username'); await tab.fill('#username', EMAIL); await tab.click('#password'); await tab.fill('#password', PASSWORD); await tab.click(SUBMIT);
  } },
  'stealth-type': { browser: 'hidden', windowed: true, drive: async (tab) => {
    await tab.click('#username'); await tab.keyboard.type(EMAIL, { delay: 100 }); await tab.click('#password'); await tab.keyboard.type(PASSWORD, { delay: 100 }); await tab.click(SUBMIT);
  } },
  'stealth-press': { browser: 'hidden', windowed: true, drive: async (tab) => {
    await tab.locator('#username').pressSequentially(EMAIL, { delay: 120 }); await tab.locator('#password').pressSequentially(PASSWORD, { delay: 120 }); await tab.locator(SUBMIT).click();
  } },
  'stealth-random': { browser: 'hidden', windowed: true, drive: async (tab, random) => {
    for (const [field, text] of [['#username', EMAIL], ['#password', PASSWORD]] as const) {
      await tab.click(field);
      for (const ch of text) { await tab.keyboard.down(ch); await tab.waitForTimeout(40 + random() * 80); await tab.keyboard.up(ch); await tab.waitForTimeout(60 + random() * 160); }
    }
    await tab.click(SUBMIT);
  } },
  humanized: { browser: 'hidden', windowed: true, drive: async (tab, random) => {
    let at = { x: 500 + 200 * random(), y: 450 + 100 * random() };
    for (const [field, text] of [['#username', EMAIL], ['#password', PASSWORD]] as const) {
      at = await glide(tab, at, field, random);
      for (const ch of text) { await tab.keyboard.down(ch); await tab.waitForTimeout(lognormal(random, 95, 0.3)); await tab.keyboard.up(ch); await tab.waitForTimeout(lognormal(random, 120, 0.5)); }
    }
    await glide(tab, at, SUBMIT, random);
  } },
  hands: { browser: 'hidden', windowed: true, drive: byHand },
  'hands (control)': { browser: 'hidden', windowed: true, toolbars: true, drive: byHand },
};

interface Answer { decision?: string; standing?: string; reasons?: string[] }

/** One run: a fresh context, consent, the drive, then every batch's answer. */
async function runOnce(browser: Browser, edge: string, style: Style, seed: number, headful: boolean): Promise<Answer[]> {
  // Headful: the window's own size (an emulated viewport would not match the window around it).
  const context = await browser.newContext({ viewport: headful ? null : { width: 1100, height: 800 }, ...(style.windowed ? { userAgent: WINDOWED_UA } : {}) });
  try {
    if (style.toolbars) await context.addInitScript(`Object.defineProperty(window, 'outerHeight', { get: () => window.innerHeight + 85, configurable: true });`);
    const tab = await context.newPage();
    const answers: Promise<Answer | undefined>[] = [];
    tab.on('response', (r) => { if (r.request().method() === 'POST' && r.url().endsWith('/v1/events')) answers.push(r.json().catch(() => undefined) as Promise<Answer | undefined>); });
    await tab.goto(`${edge}/demo/login?flushMs=3000`);
    await tab.click('#allow');
    await style.drive(tab, rng(seed));
    await tab.waitForSelector('#decision:not([data-decision=none])', { timeout: 15_000 }).catch(() => undefined);
    // The batch flushed as the form is sent may go as a beacon, whose answer the page never reads: a
    // last small movement and one flush later, an answer carrying the session's standing comes back.
    await tab.mouse.move(300, 700, { steps: 4 });
    await tab.waitForTimeout(3600);
    return (await Promise.all(answers)).filter((a): a is Answer => a !== undefined && typeof a.decision === 'string');
  } finally {
    await context.close();
  }
}

export async function run(argv: string[]): Promise<number> {
  const edge = option(argv, 'edge');
  const executablePath = option(argv, 'chromium') ?? process.env.CADENCE_CHROMIUM ?? '/usr/bin/chromium';
  if (!edge || !existsSync(executablePath)) {
    process.stderr.write('usage: cadence eval chromium --edge URL [--runs 10] [--styles a,b] [--seed N] [--headful] [--chromium PATH] [--json]\n  needs a running stack (npm start) and a Chromium (/usr/bin/chromium, or --chromium)\n');
    return 2;
  }
  const runs = intOption(argv, 'runs', 10);
  // Each run's drive is seeded; a new base each time, since the core's replay index rightly calls
  // a second run of the same seed on one stack a replay (--seed repeats a run on a fresh stack).
  const base = intOption(argv, 'seed', Math.floor(Math.random() * 1e9));
  // --headful: a windowed browser with real toolbars (on a display: xvfb-run on a server), as
  // scrapers run to look less automated; the styles' drives are unchanged.
  const headful = flag(argv, 'headful');
  const windowArgs = headful ? ['--window-position=30,40', '--window-size=1100,900'] : [];
  const launch = (hidden: boolean) => chromium.launch({ executablePath, headless: !headful, args: [...BASE_ARGS, ...windowArgs, ...(hidden ? [HIDE_WEBDRIVER] : [])] });
  const browsers = { default: await launch(false), hidden: await launch(true) };
  const rows: { style: string; sessions: number; flagged_pct: number; blocked_pct: number; answered: number; reasons: Record<string, number> }[] = [];
  try {
    const only = option(argv, 'styles')?.split(',');
    const unknown = only?.filter((s) => !(s in STYLES)) ?? [];
    if (unknown.length) throw new Error(`unknown style(s) ${unknown.join(', ')}: the styles are ${Object.keys(STYLES).join(', ')}`);
    for (const [k, [name, style]] of Object.entries(STYLES).entries()) {
      if (only && !only.includes(name)) continue;
      let flagged = 0;
      let blocked = 0;
      let answered = 0;
      const reasons: Record<string, number> = {};
      for (let i = 0; i < runs; i++) {
        // Each style its own seeds: two styles with the same drive (hands and its control) would
        // otherwise repeat each other's sessions, and the replay index rightly says so.
        const answers = await runOnce(browsers[style.browser], edge, style, base + 1000 * k + i, headful);
        if (answers.length) answered++;
        const last = answers.at(-1);
        const standing = last?.standing ?? last?.decision ?? 'allow';
        if (standing === 'challenge' || standing === 'block') flagged++;
        if (standing === 'block') blocked++;
        for (const r of new Set(answers.flatMap((a) => a.reasons ?? []))) reasons[r] = (reasons[r] ?? 0) + 1;
      }
      rows.push({ style: name, sessions: runs, flagged_pct: (100 * flagged) / runs, blocked_pct: (100 * blocked) / runs, answered, reasons });
      if (!flag(argv, 'json')) {
        const top = Object.entries(reasons).sort((a, b) => b[1] - a[1]).slice(0, 5).map(([r, n]) => `${r} ${n}`).join(', ');
        process.stdout.write(`${name.padEnd(16)} ${String(runs).padStart(3)} sessions  challenged or blocked ${rows.at(-1)!.flagged_pct.toFixed(0).padStart(3)} %  blocked ${rows.at(-1)!.blocked_pct.toFixed(0).padStart(3)} %  | ${top}\n`);
      }
    }
  } finally {
    await Promise.all(Object.values(browsers).map((b) => b.close()));
  }
  if (flag(argv, 'json')) process.stdout.write(`${JSON.stringify({ edge, runs, seed: base, headful, rows }, null, 1)}\n`);
  else process.stdout.write(`seed ${base}\n`);
  return 0;
}
