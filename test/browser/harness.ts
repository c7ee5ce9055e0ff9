// Shared set-up for the browser tests: Debian's Chromium through playwright-core (never a downloaded
// browser), a real core and a real Node edge on free ports, and helpers that watch the network.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { RiskService } from '../../client/index.ts';
import { connectTransport, unary } from '../helpers/typed-core.ts';
import { freePort, ROOT, startCore, startEdge, type CoreProcess, type EdgeProcess } from '../../cli/processes.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const ARTIFACTS = path.join(ROOT, 'artifacts', 'browser');

/**
 * Chromium's command line for the tests. A browser driven over CDP says so (navigator.webdriver is
 * true), and Cadence takes that as automation at once (scoring/session-evidence.ts: a challenge on
 * the first window, a block soon after). So by default the tests' browser hides it, as a person's
 * browser has it off (--disable-blink-features=AutomationControlled): a test that plays a person
 * must be allowed on its behaviour alone, and a test that plays a bot must be caught without the
 * flag. Ask for `webdriver: true` to get an automation tool's default browser.
 */
/**
 * A person's browser has a window: headless Chromium says HeadlessChrome in its user agent, which
 * Cadence also takes as automation (headless_browser). The tests that play a person present the
 * user agent of a windowed Chromium; a test that plays a bot keeps the headless one.
 */
export const WINDOWED_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/**
 * A windowed browser's toolbars, for the same tests: headless Chromium reports a window with none
 * (outerHeight === innerHeight) yet places its page 87 px below the window's top, which Cadence
 * names detached_viewport (collector/index.ts checkWindow). A person's window has toolbars above the
 * page; the tests that play a person give theirs 85 px of them, as stealth plugins do.
 */
export const WINDOWED_GEOMETRY = `Object.defineProperty(window, 'outerHeight', { get: () => window.innerHeight + 85, configurable: true });`;

export function chromiumArgs(options: { webdriver?: boolean } = {}): string[] {
  return ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-quic', ...(options.webdriver ? [] : ['--disable-blink-features=AutomationControlled'])];
}

export interface Stack {
  core: CoreProcess;
  edge: EdgeProcess;
  browser: BrowserContext;
  stop(): Promise<void>;
}

/**
 * `core` / `edge`: extra variables for either process (e.g. an admin key for the dashboard tests);
 * `webdriver`: the browser as an automation tool launches it (see chromiumArgs).
 */
export async function startStack(extra: { core?: Record<string, string>; edge?: Record<string, string>; webdriver?: boolean } = {}): Promise<Stack> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cadence-browser-'));
  await mkdir(ARTIFACTS, { recursive: true });
  const core = await startCore({
    CADENCE_DB_URL: `file:${path.join(dir, 'core.db')}`,
    CADENCE_GRPC_PORT: String(await freePort()),
    CADENCE_HTTP_PORT: String(await freePort()),
    CADENCE_LOG_LEVEL: 'warn',
    CADENCE_SCRYPT_N: '1024',
    ...extra.core,
  });
  let edge: EdgeProcess | undefined;
  let browser: BrowserContext | undefined;
  try {
    edge = await startEdge('node', {
      coreUrl: core.httpUrl,
      // As in production: batches only under a session id the edge signed (the collector asks for one).
      vars: { CADENCE_SPOOL_URL: `file:${path.join(dir, 'spool.db')}`, CADENCE_RATE_IP_PER_MIN: '0', CADENCE_RETRY_CAP_MS: '2000', CADENCE_EDGE_AUTH: 'required', CADENCE_EDGE_SECRET: 'browser-test-secret-'.padEnd(40, 'x'), ...extra.edge },
    });
    browser = await chromium.launchPersistentContext(path.join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: chromiumArgs({ webdriver: extra.webdriver }),
      viewport: { width: 1100, height: 800 },
      ...(extra.webdriver ? {} : { userAgent: WINDOWED_UA }),
    });
    if (!extra.webdriver) await browser.addInitScript(WINDOWED_GEOMETRY);
  } catch (err) {
    await Promise.all([edge?.stop(), core.stop()]);
    throw err;
  }
  const e = edge;
  const b = browser;
  return {
    core,
    edge: e,
    browser: b,
    async stop() {
      await b.close().catch(() => undefined);
      await Promise.all([e.stop(), core.stop()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Every request to the collector's endpoints, with what it carried and what came back. */
export interface Seen {
  at: number;
  url: string;
  method: string;
  body: string;
  status?: number;
  answer?: Record<string, unknown>;
}

export function watch(page: Page) {
  const requests: Seen[] = [];
  const frames: string[] = [];
  const pushes: Record<string, unknown>[] = [];
  page.on('request', (r) => {
    if (!/\/v1\/(events|stream)/.test(r.url())) return;
    const seen: Seen = { at: Date.now(), url: r.url(), method: r.method(), body: r.postData() ?? '' };
    requests.push(seen);
    void r.response().then(async (res) => {
      if (!res) return;
      seen.status = res.status();
      seen.answer = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    }).catch(() => undefined);
  });
  page.on('websocket', (ws) => {
    ws.on('framesent', (f) => frames.push(String(f.payload)));
    ws.on('framereceived', (f) => pushes.push(JSON.parse(String(f.payload)) as Record<string, unknown>));
  });
  return { requests, frames, pushes };
}

/** Opens a demo page in a new tab with consent granted (or not); `stack.browser` may be another browser's context. */
export async function openDemo(stack: Pick<Stack, 'edge' | 'browser'>, page: 'login' | 'transfer', query: string, consent: boolean) {
  const tab = await stack.browser.newPage();
  const net = watch(tab);
  await tab.goto(`${stack.edge.url}/demo/${page}?${query}`);
  await tab.evaluate(() => localStorage.removeItem('cadence-demo-consent'));
  await tab.reload();
  if (consent) await tab.click('#allow');
  return { tab, net };
}

export { press, rng, SHIFTED, typeHuman } from '../../bench/lib/hands.ts';

/** The core's view of a session over its Connect face (client/'s typed client). */
export async function sessionRisk(stack: Stack, sessionId: string): Promise<{ batchCount: number; eventCount: number } | undefined> {
  const r = await unary(connectTransport(stack.core.httpUrl).transport, RiskService, 'getSessionRisk')({ sessionId }).catch(() => undefined);
  return r && { batchCount: Number(r.batchCount), eventCount: Number(r.eventCount) };
}
