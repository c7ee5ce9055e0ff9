// Playwright driving Chromium as a person's hands would: keys held and spaced as people's are, with
// Shift around capitals; a pointer that travels, rests and presses off-centre. Used by the browser
// tests (test/browser/) to play people, and by `cadence eval chromium` as the control beside the
// automation tooling it measures. Seeded, so a run can be reproduced.
import type { Page } from 'playwright-core';

/** A small seeded generator, so a run's "human" timings can be reproduced. */
export function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Characters a US keyboard types with Shift held: capitals and the shifted symbols. */
export const SHIFTED = /[A-Z~!@#$%^&*()_+{}|:"<>?]/;

/**
 * Types like a person: each key held ~60-140 ms, ~80-250 ms between keys, and Shift held around a
 * capital or a shifted symbol (a person's 'T' comes with Shift down; Playwright's alone does not).
 */
export async function typeHuman(page: Page, text: string, random: () => number) {
  // As a person: the next key is planned from the last keydown (slower at a new word, a symbol or a
  // digit after letters), the key let up on its own clock (scoring/features/typing-dependence.ts).
  const kind = (ch: string) => (/[a-z]/i.test(ch) ? 'letter' : /[0-9]/.test(ch) ? 'digit' : 'other');
  for (const [i, ch] of [...text].entries()) {
    const next = text[i + 1];
    const slow = next !== undefined && (kind(ch) === 'other' || kind(ch) !== kind(next));
    const dd = (170 + random() * 110) * (slow ? 1.7 : 1);
    const hold = 60 + random() * 80;
    const shifted = SHIFTED.test(ch);
    if (shifted) {
      await page.keyboard.down('Shift');
      await page.waitForTimeout(40 + random() * 60);
    }
    await page.keyboard.down(ch);
    await page.waitForTimeout(hold);
    await page.keyboard.up(ch);
    if (shifted) {
      await page.waitForTimeout(20 + random() * 40);
      await page.keyboard.up('Shift');
    }
    await page.waitForTimeout(Math.max(15, dd - hold));
  }
}

/** Where each tab's pointer was left by press(), so the next press travels from there. */
const pointerAt = new WeakMap<Page, { x: number; y: number }>();

/** One step of a reach: move there, then wait this long (ms). */
export interface ReachStep {
  x: number;
  y: number;
  waitMs: number;
}

/**
 * A hand's reach from `from` to `to`: a primary sub-movement on a bowed, eased path (about 16 ms a
 * step) that stops 4-10 % of the way short of the target, a pause, and a short corrective
 * sub-movement onto it (Meyer et al.'s optimised sub-movements; a generated path is one bell and is
 * what scoring/features/submovements.ts counts against a session).
 */
export function reachSteps(from: { x: number; y: number }, to: { x: number; y: number }, random: () => number): ReachStep[] {
  const [dx, dy] = [to.x - from.x, to.y - from.y];
  const short = 0.04 + 0.06 * random();
  const side = (random() - 0.5) * 0.04;
  const aim = { x: to.x - dx * short - dy * side, y: to.y - dy * short + dx * side };
  const steps: ReachStep[] = [];
  const stroke = (a: { x: number; y: number }, b: { x: number; y: number }, n: number, bow: number) => {
    const [ex, ey] = [b.x - a.x, b.y - a.y];
    const control = { x: a.x + ex / 2 - ey * bow, y: a.y + ey / 2 + ex * bow };
    for (let i = 1; i <= n; i++) {
      const u = i / n;
      const e = u * u * (3 - 2 * u);
      const x = (1 - e) ** 2 * a.x + 2 * (1 - e) * e * control.x + e * e * b.x;
      const y = (1 - e) ** 2 * a.y + 2 * (1 - e) * e * control.y + e * e * b.y;
      steps.push({ x, y, waitMs: 12 + random() * 8 });
    }
  };
  stroke(from, aim, 16 + Math.floor(random() * 8), (random() - 0.5) * 0.35);
  steps[steps.length - 1]!.waitMs += 60 + random() * 100; // the primary ends; the eye checks where it landed
  stroke(aim, to, 5 + Math.floor(random() * 4), 0);
  return steps;
}

/**
 * Presses a control as a hand does: the pointer reaches it (reachSteps), rests, and presses for
 * 60-120 ms somewhere on the control, 8-25 % of its size off its centre on each axis. Not
 * page.click(), whose pointer jumps onto the exact centre and presses at once (teleport,
 * centred_clicks: scoring/features/automation.ts).
 */
export async function press(page: Page, selector: string, random: () => number) {
  await page.locator(selector).waitFor({ state: 'visible' });
  const box = (await page.locator(selector).boundingBox())!;
  const off = () => (random() < 0.5 ? -1 : 1) * (0.08 + 0.17 * random());
  const to = { x: box.x + box.width * (0.5 + off()), y: box.y + box.height * (0.5 + off()) };
  const from = pointerAt.get(page) ?? { x: Math.max(5, to.x - 140 - 80 * random()), y: to.y + 60 + 40 * random() };
  for (const { x, y, waitMs } of reachSteps(from, to, random)) {
    await page.mouse.move(x, y);
    await page.waitForTimeout(waitMs);
  }
  pointerAt.set(page, to);
  await page.waitForTimeout(150 + random() * 150);
  await page.mouse.down();
  await page.waitForTimeout(60 + random() * 60);
  await page.mouse.up();
}
