// Issue 21 item 3, seed 002's loop in Chromium against a real core and a real Node edge: a person
// registers and signs in on the demo's login page (real key events with human delays) and makes a
// transfer; "Simulate a bot" on the same page is challenged; three wrong MPINs lock the account and
// the login is refused; an admin unlocks it from the dashboard; after a new challenge the right
// MPIN lets the transfer finish. A screenshot of each step goes to artifacts/browser/.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ARTIFACTS, hasChromium, press, rng, startStack, typeHuman, type Stack } from './harness.ts';

const ADMIN = 'demo-loop-admin-key-0123456789';
const EMAIL = `loop-${process.pid}@example.com`;
const PASSWORD = 'Tr0ub4dor&3zebra';
const MPIN = '2580';
const shot = (tab: Page, name: string) => tab.screenshot({ path: path.join(ARTIFACTS, `loop-${name}.png`), fullPage: true });

describe.skipIf(!hasChromium)('the demo completes seed 002 loop', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ core: { CADENCE_ADMIN_API_KEYS: `ops:${ADMIN}` } });
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  });

  const random = rng(21);
  async function signIn(tab: Page, register: boolean) {
    await tab.goto(`${stack.edge.url}/demo/login`);
    if (await tab.isVisible('#allow')) await tab.click('#allow');
    await press(tab, '#username', random);
    await typeHuman(tab, EMAIL, random);
    await press(tab, '#password', random);
    await typeHuman(tab, PASSWORD, random);
    if (register) {
      await press(tab, '#new-mpin', random);
      await typeHuman(tab, MPIN, random);
    }
    await press(tab, '#form button[type=submit]', random);
  }

  async function challengeByBot(tab: Page) {
    await tab.click('#bot');
    await tab.waitForSelector('#mpin:not([hidden])', { timeout: 15_000 });
  }

  async function enterMpin(tab: Page, mpin: string) {
    const before = await tab.textContent('#mpin-note');
    await press(tab, '#mpin-input', random);
    await typeHuman(tab, mpin, random);
    await press(tab, '#mpin-form button', random);
    await tab.waitForFunction((b) => document.getElementById('mpin-note')!.textContent !== b, before);
    return tab.textContent('#mpin-note');
  }

  it('register, sign in, transfer; a bot is challenged; three wrong MPINs lock; an admin unlocks; the right MPIN lets the transfer finish', async () => {
    const tab = await stack.browser.newPage();
    // 1. A person registers and signs in.
    await signIn(tab, true);
    await tab.waitForURL('**/demo/transfer');
    await tab.waitForSelector('body[data-signed-in=yes]');
    await shot(tab, '1-signed-in');

    // 2. The person fills in the transfer and sends it: allowed.
    for (const [field, text] of [['#payee', 'Maria Silva'], ['#account', 'PT50 0002 0123'], ['#amount', '120.50'], ['#reference', 'rent march']] as const) {
      await press(tab, field, random);
      await typeHuman(tab, text, random);
    }
    await press(tab, '#form button[type=submit]', random);
    await tab.waitForSelector('body[data-transferred=yes]');
    expect(await tab.getAttribute('body', 'data-challenged')).toBeNull();
    await shot(tab, '2-transfer-sent');
    const sessionId = (await tab.textContent('#session'))!;

    // 3. A scripted bot on the same page: challenged, the MPIN is asked for.
    await challengeByBot(tab);
    await shot(tab, '3-bot-challenged');

    // 4. Three wrong MPINs: the account is locked and the page says so; the login is refused.
    expect(await enterMpin(tab, '0000')).toMatch(/2 attempts left/);
    expect(await enterMpin(tab, '1111')).toMatch(/1 attempt left/);
    await enterMpin(tab, '9999');
    await tab.waitForSelector('body[data-locked=yes]');
    expect(await tab.textContent('#blocked')).toMatch(/locked/);
    await shot(tab, '4-locked');
    await signIn(tab, false);
    await tab.waitForFunction(() => /locked/i.test(document.getElementById('auth-note')!.textContent ?? ''));
    await shot(tab, '5-login-refused');

    // 5. An admin unlocks the account from the dashboard.
    const admin = await stack.browser.newPage();
    await admin.goto(`${stack.core.httpUrl}/dashboard/login`);
    await admin.fill('#key', ADMIN);
    await admin.click('#sign-in');
    await admin.goto(`${stack.core.httpUrl}/dashboard/sessions/${encodeURIComponent(sessionId)}`);
    expect(await admin.getAttribute('[data-standing]', 'data-standing')).toBe('locked');
    await admin.fill('#unlock-account input[name=reason]', 'called support, identity checked');
    await shot(admin, '6-dashboard-unlock');
    await Promise.all([admin.waitForNavigation(), admin.click('#unlock-account button')]);
    await shot(admin, '7-dashboard-unlocked');
    // No longer locked: the session's own standing shows again.
    expect(['challenge', 'block']).toContain(await admin.getAttribute('[data-standing]', 'data-standing'));
    await admin.close();

    // 6. Signed in again; a bot is challenged again; the right MPIN lets the transfer finish.
    await signIn(tab, false);
    await tab.waitForURL('**/demo/transfer');
    await challengeByBot(tab);
    expect(await enterMpin(tab, MPIN)).toBe('Verified.');
    expect(await tab.isHidden('#mpin')).toBe(true);
    await press(tab, '#amount', random);
    await typeHuman(tab, '75', random);
    await press(tab, '#form button[type=submit]', random);
    await tab.waitForSelector('body[data-transferred=yes]');
    await shot(tab, '8-verified-transfer');
    await tab.close();
  }, 180_000);
});
