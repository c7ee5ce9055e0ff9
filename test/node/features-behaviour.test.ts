// What the extractors measure: fixed-text pairing by position, seed 003's six, pointer actions,
// context categories with unseen values, and each automation signal against a human-like baseline.
import { describe, expect, it } from 'vitest';
import type { BatchEvent } from '../../scoring/batch.ts';
import { automationSignals } from '../../scoring/features/automation.ts';
import { contextFeatures } from '../../scoring/features/context.ts';
import { fixedTextFeatures } from '../../scoring/features/fixed-text.ts';
import { FREE_TEXT_FEATURES, freeTextFeatures } from '../../scoring/features/free-text.ts';
import { POINTER_FEATURES, pointerActions, pointerFeatures } from '../../scoring/features/pointer.ts';
import { botTyping, rng, typing } from '../helpers/batches.ts';

const feature = (v: Float64Array, name: (typeof FREE_TEXT_FEATURES)[number]) => v[FREE_TEXT_FEATURES.indexOf(name)]!;

function humanMouse(seed = 3): BatchEvent[] {
  const r = rng(seed);
  const events: BatchEvent[] = [];
  let t = 0;
  for (let a = 0; a < 4; a++) {
    let x = 100 * a;
    let y = 50;
    for (let i = 0; i < 15; i++) {
      t += 8 + r() * 10;
      x += 5 + r() * 6;
      y += Math.sin(i / 3) * 4 + r() * 3;
      events.push({ type: 'pointermove', t, x, y, pointerType: 'mouse' });
    }
    events.push({ type: 'pointerdown', t: t + 40, x, y, button: 0, pointerType: 'mouse' });
    events.push({ type: 'pointerup', t: t + 40 + 80 + r() * 40, x, y, button: 0, pointerType: 'mouse' });
    t += 700;
  }
  return events;
}

describe('fixed text', () => {
  it('pairs keys by position even when same-class keys overlap (rollover)', () => {
    const events: BatchEvent[] = [
      { type: 'keydown', t: 0, keyClass: 'letter', position: 0 },
      { type: 'keydown', t: 50, keyClass: 'letter', position: 1 },
      { type: 'keyup', t: 70, keyClass: 'letter', position: 1 },
      { type: 'keyup', t: 120, keyClass: 'letter', position: 0 },
    ];
    const f = fixedTextFeatures(events, 2);
    expect(f.judged).toBe(true);
    expect(Array.from(f.vector)).toEqual([120, 20, 50, -70]);
  });
});

describe('free text and seed 003', () => {
  it('counts backspaces as errors and derives the ratios from them', () => {
    const clean = typing({ keys: 30, seed: 2 });
    const withErrors = clean.map((e, i) => (i % 10 < 2 ? { ...e, keyClass: 'backspace' as const } : e));
    const a = freeTextFeatures(clean).vector;
    const b = freeTextFeatures(withErrors).vector;
    expect(feature(a, 'error_rate_pct')).toBe(0);
    expect(feature(b, 'error_rate_pct')).toBeCloseTo(20, 0);
    expect(feature(b, 'speed_accuracy_ratio')).toBeLessThan(feature(a, 'speed_accuracy_ratio'));
    expect(feature(a, 'typing_speed_wpm')).toBeGreaterThan(30);
    expect(feature(a, 'typing_speed_wpm')).toBeLessThan(120);
    expect(feature(a, 'rhythm_ratio')).toBeCloseTo(feature(a, 'key_hold_ms') / feature(a, 'transition_ms'), 6);
  });

  it('accepts Android input events (keydown without keyup) as keystroke timing', () => {
    const events: BatchEvent[] = Array.from({ length: 12 }, (_, i) => ({ type: 'keydown' as const, t: i * 180 + (i % 3) * 20, keyClass: 'other' as const }));
    const f = freeTextFeatures(events);
    expect(feature(f.vector, 'dd_median')).toBeGreaterThan(150);
    expect(f.keystrokes).toBe(12);
  });
});

describe('pointer', () => {
  it('splits moves into actions at clicks and pauses and measures click holds', () => {
    const events = humanMouse();
    expect(pointerActions(events)).toHaveLength(4);
    const f = pointerFeatures(events);
    expect(f.judged).toBe(true);
    const at = (n: (typeof POINTER_FEATURES)[number]) => f.vector[POINTER_FEATURES.indexOf(n)]!;
    expect(at('click_hold_mean')).toBeGreaterThan(80);
    expect(at('straightness_mean')).toBeGreaterThan(0.8);
    expect(at('straightness_mean')).toBeLessThanOrEqual(1);
    expect(at('total_distance')).toBeGreaterThan(4 * 14 * 5);
  });
});

describe('context', () => {
  it('maps missing and unseen categories to unknown', () => {
    const c = contextFeatures({ events: typing(), context: { language: 'tlh-KX' } }, { userAgent: 'Mozilla/5.0 Firefox/130.0' });
    expect(c.categories).toEqual({ device: 'unknown', screen: 'unknown', browser: 'firefox', language: 'other', orientation: 'unknown' });
    const d = contextFeatures({ events: typing(), context: { language: 'de-DE', screen: { width: 390, height: 844 } } });
    expect(d.categories.device).toBe('mobile');
    expect(d.categories.orientation).toBe('portrait');
    expect(d.vector.reduce((s, v, i) => s + (d.names[i]!.includes('=') ? v : 0), 0)).toBe(5);
  });
});

describe('automation signals', () => {
  const keys = (downs: number[], hold: number | ((i: number) => number), keyClass: BatchEvent['keyClass'] = 'letter'): BatchEvent[] =>
    downs
      .flatMap((t, i): BatchEvent[] => [
        { type: 'keydown', t, keyClass, field: 'f', position: i },
        { type: 'keyup', t: t + (typeof hold === 'number' ? hold : hold(i)), keyClass, field: 'f', position: i },
      ])
      .sort((a, b) => a.t - b.t);

  it('a pause before a burst does not hide superhuman typing', () => {
    const burst = keys([0, ...Array.from({ length: 12 }, (_, i) => 3000 + i * 3)], 1);
    expect(automationSignals(burst).signals).toEqual(expect.arrayContaining(['superhuman_typing', 'zero_variance_timing']));
  });
  it('five digits held alike are a person; holds of 5-15 ms on every key are not', () => {
    const digits = keys([0, 180, 350, 560, 700], (i) => [99.5, 101, 103.7, 100.2, 102][i]!, 'digit');
    expect(automationSignals(digits).signals).toEqual([]);
    const r = rng(5);
    let t = 0;
    const quick = keys(Array.from({ length: 12 }, () => (t += 50 + r() * 100)), () => 5 + r() * 10);
    expect(automationSignals(quick).signals).toContain('implausible_holds');
  });
  it("a soft keyboard's back-to-back keydown and keyup at a typist's pace is not a program's hold; a field typed in one instant still is", () => {
    // iOS sends a soft key's keydown and keyup together, with the key's identity: holds of 0-2 ms.
    const r = rng(9);
    let t = 0;
    const downs = Array.from({ length: 12 }, () => (t += 180 + r() * 200));
    expect(automationSignals(keys(downs, () => r() * 2)).signals).not.toContain('implausible_holds');
    // ...with the page's word that the device has a touch screen, holds under 12 ms say nothing at all.
    const touchScreen: BatchEvent = { type: 'environment', t: t + 10, state: 'touch' };
    expect(automationSignals([...keys(downs, () => 5 + r() * 5), touchScreen]).signals).not.toContain('implausible_holds');
    expect(automationSignals(keys(downs, () => 5 + r() * 5)).signals).toContain('implausible_holds');
    // A field's keys a millisecond apart: no typist's pace, whatever the keyboard.
    expect(automationSignals(keys(Array.from({ length: 12 }, (_, i) => 1000 + i * 1.3), 0)).signals).toContain('implausible_holds');
  });
  it('a field focused by a script is unprompted; by a click, a tab, autofocus, a restore or an OTP box advancing, not', () => {
    const at = (t: number, type: BatchEvent['type'], extra: Partial<BatchEvent> = {}): BatchEvent => ({ type, t, ...extra });
    const script = [at(5000, 'blur', { field: 'username' }), at(5001, 'focus', { field: 'password' }), ...keys([5010, 5150, 5290], 90).map((e) => ({ ...e, field: 'password' }))];
    expect(automationSignals(script).signals).toContain('unprompted_focus');
    const human = [
      at(500, 'focus', { field: 'username' }), // autofocus at load
      at(5000, 'pointerdown', { x: 10, y: 10, button: 0, pointerType: 'mouse' }), at(5001, 'focus', { field: 'password' }),
      at(7000, 'keydown', { keyClass: 'tab' }), at(7001, 'focus', { field: 'amount' }), at(7080, 'keyup', { keyClass: 'tab' }),
      at(9000, 'blur', { field: 'amount' }), at(20_000, 'visibility', { state: 'visible' }), at(20_001, 'focus', { field: 'amount' }),
      at(30_000, 'blur', { field: 'amount' }), at(40_000, 'focus', { field: 'amount' }), // the window regained focus
      at(50_000, 'keyup', { keyClass: 'digit' }), at(50_002, 'focus', { field: 'otp-2' }), // the page's script advances
    ];
    expect(automationSignals(human).signals).toEqual([]);
  });
  it('a remote desktop (a sample every ~109 ms, warps, axis-aligned strokes) raises none', () => {
    const coarse: BatchEvent[] = [];
    let t = 0;
    for (let i = 0; i < 20; i++) coarse.push({ type: 'pointermove', t: (t += 109), x: 1800 - i * 25, y: 877, pointerType: 'mouse' });
    coarse.push({ type: 'pointermove', t: (t += 109), x: 1279, y: 0, pointerType: 'mouse' }); // a warp to a screen edge
    coarse.push({ type: 'pointermove', t: (t += 109), x: 500, y: 600, pointerType: 'mouse' });
    coarse.push({ type: 'pointerdown', t: (t += 180), x: 500, y: 600, button: 0, pointerType: 'mouse' });
    expect(automationSignals(coarse).signals).toEqual([]);
  });
  it('human typing and mouse raise none', () => {
    expect(automationSignals([...typing({ keys: 40 }), ...humanMouse()].sort((a, b) => a.t - b.t)).signals).toEqual([]);
  });
  it('holds and key intervals both metronome-steady are metronome_timing; steady holds alone are not', () => {
    // 25 ms holds every 75 ms, two fields apart (one longer interval): a script's fixed delays.
    const downs = [...Array.from({ length: 8 }, (_, i) => 1000 + i * 75), ...Array.from({ length: 8 }, (_, i) => 2000 + i * 75)];
    expect(automationSignals(keys(downs, 25)).signals).toEqual(expect.arrayContaining(['metronome_timing', 'zero_variance_timing']));
    // A person whose holds are steady (71-73 ms) but whose intervals are a person's.
    let t = 0;
    const r = rng(3);
    const steadyHolds = keys(Array.from({ length: 12 }, () => (t += 120 + r() * 160)), (i) => 71 + (i % 3));
    const s = automationSignals(steadyHolds).signals;
    expect(s).toContain('zero_variance_timing');
    expect(s).not.toContain('metronome_timing');
  });
  it('a constant-rhythm bot raises zero variance, superhuman typing and replay', () => {
    expect(automationSignals(botTyping(30)).signals).toEqual(expect.arrayContaining(['zero_variance_timing', 'superhuman_typing', 'replayed_timing']));
  });
  it('a line drawn on the pixel grid (pyautogui, mouse.move steps) is straight; a gentle arc of a hand is not', () => {
    // An eased tween from (103.4, 207.8) to (611.2, 455.5), rounded to pixels as the screen reports it.
    const tween: BatchEvent[] = Array.from({ length: 30 }, (_, i) => {
      const u = (i + 1) / 30;
      const e = u < 0.5 ? 2 * u * u : 1 - (-2 * u + 2) ** 2 / 2;
      return { type: 'pointermove' as const, t: 500 + i * 10.3, x: Math.round(103.4 + 507.8 * e), y: Math.round(207.8 + 247.7 * e) };
    });
    expect(automationSignals(tween).signals).toContain('straight_path');
    // The same reach bowed by 3 px in the middle (a hand's arc is ten times that): not a ruler line.
    const bowed = tween.map((m, i) => ({ ...m, y: m.y! + Math.round(3 * Math.sin((Math.PI * (i + 1)) / 30)) }));
    expect(automationSignals(bowed).signals).not.toContain('straight_path');
  });
  it("Mouse Keys' diagonal (both axes moved by the same step from the numpad) is not a program's line; one 10 degrees off it is", () => {
    // A step every 20 ms, speeding up from 1 to 6 px a step, as the numpad's 3 moves the pointer.
    let at = 0;
    const diagonal: BatchEvent[] = Array.from({ length: 40 }, (_, i) => {
      at += Math.min(6, 1 + Math.floor(i / 4));
      return { type: 'pointermove' as const, t: 200 + 20 * i, x: 300 + at, y: 120 + at };
    });
    expect(automationSignals(diagonal).signals).not.toContain('straight_path');
    const tilted = diagonal.map((m) => ({ ...m, y: Math.round(120 + (m.x! - 300) * Math.tan((35 * Math.PI) / 180)) }));
    expect(automationSignals(tilted).signals).toContain('straight_path');
  });
  it('a ruler-straight path, a teleport and 20 clicks in a second are caught', () => {
    const line: BatchEvent[] = Array.from({ length: 20 }, (_, i) => ({ type: 'pointermove' as const, t: i * 10 + (i % 2), x: i * 10, y: i * 5 }));
    expect(automationSignals(line).signals).toContain('straight_path');
    // A program's click: the pointer appears on the target and presses at once.
    const jump: BatchEvent[] = [...humanMouse().slice(0, 5), { type: 'pointermove', t: 1e4, x: 0, y: 0 }, { type: 'pointermove', t: 1e4 + 1, x: 900, y: 700 },
      { type: 'pointerdown', t: 1e4 + 3, x: 900, y: 700, button: 0, pointerType: 'mouse' }];
    expect(automationSignals(jump).signals).toContain('teleport');
    // A jump alone is a warp (a second monitor, a remote desktop), not a program.
    expect(automationSignals(jump.slice(0, -1)).signals).not.toContain('teleport');
    const clicks: BatchEvent[] = Array.from({ length: 20 }, (_, i) => ({ type: 'pointerdown' as const, t: i * 45 + (i % 3) * 3, x: 10, y: 10 }));
    expect(automationSignals(clicks).signals).toContain('rapid_clicks');
  });
});
