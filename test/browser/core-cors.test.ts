// A page on another origin calls the core straight from Chromium through the typed client (client/,
// bundled with connect-web by esbuild as a page's build would), over Connect (JSON and binary) and
// gRPC-Web, with CORS from CADENCE_CORE_CORS_ORIGINS: the browser makes its own preflights. A call
// that succeeds, a refusal read with its field (google.rpc.BadRequest), and the same page on an
// origin not listed, which the browser refuses to let read the core.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startCore, type CoreProcess } from '../../cli/processes.ts';
import { CHROMIUM, chromiumArgs, hasChromium } from './harness.ts';

// What the page runs: one call of each kind, answered as plain data for the test to read.
const PAGE_SCRIPT = `
import { ConnectError } from '@connectrpc/connect';
import { createConnectTransport, createGrpcWebTransport } from '@connectrpc/connect-web';
import { createCadenceClients } from './client/index.ts';
import { BadRequestSchema } from './client/gen/google/rpc/error_details_pb.ts';

window.callCore = async (baseUrl, protocol) => {
  const transport = protocol === 'grpc-web' ? createGrpcWebTransport({ baseUrl })
    : createConnectTransport({ baseUrl, useBinaryFormat: protocol === 'connect-binary' });
  const cadence = createCadenceClients({ transport });
  try {
    const health = await cadence.health.check({ service: '' });
    const jwks = await cadence.identity.getJwks({});
    let refused;
    try {
      await cadence.identity.register({ password: 'correct horse battery' });
    } catch (e) {
      const err = ConnectError.from(e);
      refused = { code: err.code, field: err.findDetails(BadRequestSchema)[0]?.fieldViolations[0]?.field };
    }
    return { health: health.status, keys: JSON.parse(jwks.jwksJson).keys.length, refused };
  } catch (e) {
    return { failed: ConnectError.from(e).message };
  }
};
`;

describe.skipIf(!hasChromium)('a page on another origin calls the core through client/ (CORS)', () => {
  let core: CoreProcess;
  let pages: http.Server;
  let browser: Browser;
  let pageOrigin: string;
  let otherOrigin: string;

  beforeAll(async () => {
    const bundle = await build({ stdin: { contents: PAGE_SCRIPT, resolveDir: ROOT, loader: 'js' }, bundle: true, format: 'esm', platform: 'browser', write: false, logLevel: 'silent' });
    const script = bundle.outputFiles[0]!.text;
    pages = http.createServer((req, res) => {
      if (req.url === '/page.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
      else res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><script type="module" src="/page.js"></script>');
    });
    await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
    const port = (pages.address() as AddressInfo).port;
    pageOrigin = `http://127.0.0.1:${port}`;
    otherOrigin = `http://localhost:${port}`; // the same server, another origin
    core = await startCore({ CADENCE_GRPC_PORT: '0', CADENCE_HTTP_PORT: '0', CADENCE_DB_URL: ':memory:', CADENCE_LOG_LEVEL: 'warn', CADENCE_SCRYPT_N: '1024', CADENCE_CORE_CORS_ORIGINS: pageOrigin });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: chromiumArgs() });
  }, 120_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await core?.stop();
    await new Promise((resolve) => pages?.close(resolve));
  });

  async function callFrom(origin: string, protocol: string) {
    const tab = await browser.newPage();
    try {
      await tab.goto(`${origin}/`);
      await tab.waitForFunction(() => 'callCore' in window);
      return await tab.evaluate(([url, p]) => (window as unknown as { callCore: (u: string, p: string) => Promise<Record<string, unknown>> }).callCore(url!, p!), [core.httpUrl, protocol]);
    } finally {
      await tab.close();
    }
  }

  it.each(['connect-json', 'connect-binary', 'grpc-web'])('over %s: answers, and a refusal names its field', async (protocol) => {
    expect(await callFrom(pageOrigin, protocol)).toEqual({ health: 1, keys: expect.any(Number), refused: { code: 3, field: 'email' } });
  });

  it('lets no other origin read the core', async () => {
    const answer = await callFrom(otherOrigin, 'connect-json');
    expect(answer.failed).toMatch(/fetch/i);
  });
});
