// What the page says of its own browser ('environment' events) and how fields were filled, as
// automation evidence: validated strictly, raised only where a person's browser cannot produce it,
// and weighed in the session's evidence (a webdriver browser challenges at once).
import { describe, expect, it } from 'vitest';
import { parseBatch, type BatchEvent } from '../../scoring/batch.ts';
import { checkBatch } from '../../scoring/batch-check.ts';
import { automationSignals } from '../../scoring/features/automation.ts';
import { DEFAULT_THRESHOLDS } from '../../scoring/policy.ts';
import type { Assessment } from '../../scoring/prescore.ts';
import { accumulate, judgeInSession, NO_EVIDENCE, windowLlr, type SessionEvidence } from '../../scoring/session-evidence.ts';
import { batch, typing } from '../helpers/batches.ts';

const env = (state: string, t = 5000): BatchEvent => ({ type: 'environment', t, state });
const fill = (field: string, state = 'programmatic', t = 4000): BatchEvent => ({ type: 'input', t, field, state });
const withEnv = (...extra: BatchEvent[]) => [...typing({ keys: 20, seed: 5 }), ...extra].sort((a, b) => a.t - b.t);
const window = (events: BatchEvent[]): Assessment => ({ score: 0, decision: 'allow', modelVersion: 't', reasons: automationSignals(events).signals, judged: true });

describe('environment events on the wire', () => {
  it('accepts webdriver and case:M/N, and refuses anything else (no room for a key value)', () => {
    for (const state of ['webdriver', 'headless', 'detached', 'case:2/10', 'case:9999/9999', 'centre:1/3']) {
      const b = batch({ events: [env(state, 1)] });
      expect(checkBatch(b), state).toBe(true);
      expect(parseBatch(b).ok, state).toBe(true);
    }
    for (const state of [undefined, '', 'WEBDRIVER', 'case:H/i', 'case:2', 'case:12345/1', 'webdriver ', 'key:A', 'centre:1', 'center:1/2', 'centre:x/y', 'detached:1', 'Detached']) {
      const b = batch({ events: [{ type: 'environment', t: 1, ...(state === undefined ? {} : { state }) }] });
      expect(checkBatch(b), String(state)).toBe(false);
      const r = parseBatch(b);
      expect(r.ok, String(state)).toBe(false);
      if (!r.ok) expect(r.problem.field).toBe('events.0.state');
    }
  });

  it('accepts the script input state (a value set by a page script)', () => {
    expect(parseBatch(batch({ events: [fill('password', 'script', 1)] })).ok).toBe(true);
  });
});

describe('environment signals', () => {
  it('raises webdriver from the browser\'s own flag, and nothing from a person\'s plain window', () => {
    expect(automationSignals(withEnv(env('webdriver'))).signals).toEqual(['webdriver']);
    expect(automationSignals(withEnv()).signals).toEqual([]);
  });

  it('raises headless_browser from HeadlessChrome, counted once with webdriver (one fact: a browser declaring automation)', () => {
    const both = window(withEnv(env('webdriver'), env('headless')));
    expect(both.reasons).toEqual(['webdriver', 'headless_browser']);
    expect(windowLlr(both)).toBe(7);
    expect(windowLlr(window(withEnv(env('headless'))))).toBe(7);
  });

  it('raises case_without_shift over two or more letters, only when some letters agree with Shift', () => {
    expect(automationSignals(withEnv(env('case:2/9'))).signals).toEqual(['case_without_shift']);
    // Across the batches of one window the counts add up.
    expect(automationSignals(withEnv(env('case:1/4', 3000), env('case:1/5'))).signals).toEqual(['case_without_shift']);
    // One letter may be a slip of the reporting: named weakly.
    expect(automationSignals(withEnv(env('case:1/9'))).signals).toEqual(['capital_without_shift']);
    // Every letter contradicting: a keyboard whose Shift or CapsLock state is misreported, not a program.
    expect(automationSignals(withEnv(env('case:6/6'))).signals).toEqual([]);
    expect(automationSignals(withEnv(env('case:7/3'))).signals).toEqual([]);
  });

  it('raises keyless_fill for page.fill only: autofill, a password manager\'s script, paste are people', () => {
    expect(automationSignals(withEnv(fill('password'))).signals).toEqual(['keyless_fill']);
    expect(automationSignals(withEnv(fill('password'), fill('password', 'programmatic', 4500))).signals).toEqual(['keyless_fill']);
    // Two fields filled whole in one window: the form, instead of the field.
    expect(automationSignals(withEnv(fill('email', 'programmatic', 3000), fill('password'))).signals).toEqual(['keyless_form_fill']);
    for (const state of ['autofill', 'script', 'paste', 'replace', 'typed', 'drop']) {
      expect(automationSignals(withEnv(fill('password', state))).signals, state).toEqual([]);
    }
  });
});

describe('presses on the exact centre of a control (automation tooling\'s click())', () => {
  const run = (windows: Assessment[]) => windows.reduce<SessionEvidence>((e, a) => accumulate(e, a), NO_EVIDENCE);

  it('names one press weakly and two or more in a window fully, adding the batches of the window', () => {
    expect(automationSignals(withEnv(env('centre:1/4'))).signals).toEqual(['centred_click']);
    expect(automationSignals(withEnv(env('centre:1/2', 3000), env('centre:1/1'))).signals).toEqual(['centred_clicks']);
    expect(automationSignals(withEnv(env('centre:3/3'))).signals).toEqual(['centred_clicks']);
    expect(windowLlr(window(withEnv(env('centre:1/4'))))).toBe(2.5);
    expect(windowLlr(window(withEnv(env('centre:2/4'))))).toBe(5);
  });

  it('never challenges a person for one centred press now and then; challenges click() with page.fill at once', () => {
    // One press on a centre now and then, the windows between clean: nothing accumulates.
    const clean = window(withEnv());
    const once = window(withEnv(env('centre:1/3')));
    const person = run([once, ...Array(6).fill(clean), once, clean, clean]);
    expect(judgeInSession(person, clean, DEFAULT_THRESHOLDS).decision).toBe('allow');
    // Two within a few windows: watched (the second is the full family), not yet stepped up.
    expect(judgeInSession(run([once, clean, clean, clean, clean, once]), clean, DEFAULT_THRESHOLDS).decision).toBe('monitor');
    // Playwright's login: click, fill, click, fill, click, all in one window.
    const bot = window(withEnv(env('centre:3/3'), fill('email', 'programmatic', 3000), fill('password')));
    expect(bot.reasons).toEqual(['keyless_form_fill', 'centred_clicks']);
    expect(judgeInSession(run([bot]), bot, DEFAULT_THRESHOLDS).decision).toBe('challenge');
  });
});

describe('a page placed where no window holds it (headless Chromium under any user agent)', () => {
  const run = (windows: Assessment[]) => windows.reduce<SessionEvidence>((e, a) => accumulate(e, a), NO_EVIDENCE);
  const clean = window(withEnv());
  const detached = window(withEnv(env('detached')));

  it('names detached_viewport as its own family at full weight: watched at once, challenged when it persists', () => {
    expect(detached.reasons).toEqual(['detached_viewport']);
    expect(windowLlr(detached)).toBe(5);
    // Its own fact, counted apart from webdriver's: both in one window are two families.
    expect(windowLlr(window(withEnv(env('headless'), env('detached'))))).toBe(12);
    expect(judgeInSession(run([detached]), detached, DEFAULT_THRESHOLDS).decision).toBe('monitor');
    expect(judgeInSession(run([detached, detached]), detached, DEFAULT_THRESHOLDS).decision).toBe('challenge');
    // A window without it (no mouse event to check) neither raises nor clears more than a clean one.
    expect(judgeInSession(run([detached, clean, clean]), clean, DEFAULT_THRESHOLDS).decision).not.toMatch(/challenge|block/);
  });
});

describe('one capital without Shift per window (a password\'s capital typed by a program)', () => {
  const run = (windows: Assessment[]) => windows.reduce<SessionEvidence>((e, a) => accumulate(e, a), NO_EVIDENCE);
  const clean = window(withEnv());
  const once = window(withEnv(env('case:1/9')));

  it('is weak alone, and a second one while the first still counts is the full fact: challenged', () => {
    expect(windowLlr(once)).toBe(2.5);
    expect(judgeInSession(run([once, clean]), clean, DEFAULT_THRESHOLDS).decision).not.toMatch(/challenge|block/);
    const twice = run([once, clean, clean, once]);
    expect(twice.llr).toBeGreaterThanOrEqual(6.9);
    expect(judgeInSession(twice, once, DEFAULT_THRESHOLDS).decision).toBe('challenge');
  });

  it('forgets one once the evidence wore away: two slips far apart are two slips', () => {
    const apart = run([once, ...Array(6).fill(clean), once]);
    expect(apart.llr).toBe(2.5);
  });
});

describe('environment evidence in the session', () => {
  const run = (windows: Assessment[]) => windows.reduce<SessionEvidence>((e, a) => accumulate(e, a), NO_EVIDENCE);

  it('challenges a webdriver browser on its first judged window, and blocks it with one more family', () => {
    const first = run([window(withEnv(env('webdriver')))]);
    expect(judgeInSession(first, window(withEnv(env('webdriver'))), DEFAULT_THRESHOLDS).decision).toBe('challenge');
    const two = window(withEnv(env('webdriver'), env('case:3/12')));
    expect(two.reasons).toEqual(['webdriver', 'case_without_shift']);
    expect(judgeInSession(run([two]), two, DEFAULT_THRESHOLDS).decision).toBe('block');
  });

  it('challenges capitals without Shift at once; a form filled with no key is monitored, a field needs three windows', () => {
    const caps = window(withEnv(env('case:2/8')));
    expect(windowLlr(caps)).toBe(7);
    expect(judgeInSession(run([caps]), caps, DEFAULT_THRESHOLDS).decision).toBe('challenge');
    const form = window(withEnv(fill('email'), fill('password', 'programmatic', 4100)));
    expect(windowLlr(form)).toBe(5);
    expect(judgeInSession(run([form]), form, DEFAULT_THRESHOLDS).decision).toBe('monitor');
    // With any other family in the window (here Playwright's click), challenged.
    expect(windowLlr({ judged: true, reasons: [...form.reasons, 'teleport'] })).toBe(10);
    const filled = window(withEnv(fill('password')));
    expect(windowLlr(filled)).toBe(2.5);
    expect(judgeInSession(run([filled, filled]), filled, DEFAULT_THRESHOLDS).decision).not.toMatch(/challenge|block/);
    expect(judgeInSession(run([filled, filled, filled]), filled, DEFAULT_THRESHOLDS).decision).toBe('challenge');
  });

  it('lets a password manager\'s fill and autofill through, window after window', () => {
    const manager = window(withEnv(fill('email', 'script'), fill('password', 'autofill', 4100)));
    const e = run(Array.from({ length: 20 }, () => manager));
    expect(e.llr).toBe(0);
    expect(judgeInSession(e, manager, DEFAULT_THRESHOLDS).decision).toBe('allow');
  });
});
