// Signals of automation in one window: things no hand on a keyboard or mouse produces, as opposed to
// things that only look odd because of how a person's machine reports them. Each is a flag with its
// measured value. What people do that these rules must not mistake for a program (checked on Balabit
// mouse sessions, recorded over remote desktop, and on the Aalto, CMU and Kaggle typists):
// - pauses of seconds between phrases: typing rules look at bursts (intervals under PAUSE_MS) only;
// - coarse clocks (15.6 ms or 100 ms timers, remote desktops): pointer intervals repeat exactly, so
//   only key intervals are checked for replay, and only over many keys; and when the key times
//   themselves sit on a grid of 10 ms or more (resistFingerprinting, Tor Browser) no key timing
//   rule judges;
// - cursor warps (multi-monitor, remote desktop, pen and touch): a jump alone is not a teleport; a
//   program's click is: it lands on the target in one step and presses at once;
// - horizontal or vertical strokes on a pixel grid are ruler-straight, and so are Mouse Keys'
//   diagonals (a pointer moved from the numpad, an accessibility setting): only other oblique lines count;
// - a sensor's grid and a clock slicing its reports unevenly make a path rough: only white noise
//   across the path, beyond a sensor's quantisation and at fine, regular sampling, is jitter
//   (pointer-noise.ts); coarse sampling is not judged;
// - focus moves by itself at page load (autofocus), when a window regains focus (restored to the
//   same field) and when a page's script advances it after a key (one-digit OTP boxes): none of
//   these is an unprompted focus;
// - what the page says of its own browser ('environment' events, collector/index.ts): a browser that
//   declares automation (navigator.webdriver) or runs without a window (HeadlessChrome in its user
//   agent: nobody can see it to type into it) is automated by definition; capitals with no Shift are
//   counted by the collector only where Shift is reported (no touch device, no CapsLock, no Sticky
//   Keys), and judged only when some letters agree with the Shift state (a keyboard whose state is
//   misreported contradicts every letter);
// - password managers and autofill fill fields too: autofill arrives as 'autofill', extensions set
//   the value from a script ('script'); only text the browser inserted whole with no key, paste or
//   autofill ('programmatic': page.fill, CDP insertText) counts, and weakly (dictation may do it);
//   several fields filled so within one window (a login's user name and password) count more;
// - a hand aims at a control, not at its centre: the page counts presses within a pixel of the centre
//   of a control of at least 24 x 16 px on both axes ('centre:M/N'; Playwright's, Puppeteer's and
//   Selenium's click() press exactly there). A person's press lands in that 3 x 3 px square with a
//   probability of about 1/200 on a button and far less on a text field (reasoned from aiming spreads of
//   a fifth of the control's size; no public recording carries the controls' geometry), so one such
//   press is weak and two in one window a full family. Voice control and switch access ("click
//   Submit") also press centres: such a user may be stepped up, never blocked by this alone;
// - a page sits in its window below the browser's toolbars: the page reports 'detached' when the
//   pointer's screen coordinates put the page's top 20+ px below a window that says it has no
//   toolbar at all (outerHeight === innerHeight, as in fullscreen) and its bottom past the screen's,
//   which headless Chromium does (its page 87 px down, Chromium 156) whatever user agent a tool
//   gives it. Not a rate: a window no screen shows. Its own family at full weight (not 'webdriver'), since it rests on the
//   browser's geometry being reported faithfully (collector/index.ts checkWindow).
import type { BatchEvent } from '../batch.ts';
import { keyClockGrid } from './clock.ts';
import { strokesOf, type Stroke } from './free-text.ts';
import { cvOf, finite } from './numeric.ts';
import { actionKinematics, pointerActions } from './pointer.ts';
import { pointerNoise, roughnessLimit } from './pointer-noise.ts';
import { softKeyHolds } from './soft-keys.ts';

export const AUTOMATION_RULES = {
  /** Key intervals longer than this are pauses (thinking, reading), not rhythm (ms). */
  pauseMs: 1500,
  /** Hold or in-burst interval coefficient of variation below this is machine-like (humans: ~0.2-0.6). */
  minTimingCv: 0.03,
  /** Median in-burst keydown interval below this is faster than any typist (ms; 150 wpm is ~80 ms). */
  minKeyIntervalMs: 25,
  /** Median hold below this, over keys whose identity the keyboard reported, is no finger on a key (ms). */
  minHoldMs: 12,
  // ...unless they are what a soft keyboard sends (scoring/features/soft-keys.ts): without the
  // collector's `touch` state (recordings, other collectors) that is all that keeps a phone's
  // typist from looking like a program.
  /**
   * Pointer speed above maxPointerSpeed (px/ms) held over sustainedMs and at least sustainedSteps
   * steps is not a hand. 50 is 1.8 x the fastest flick measured on a person (Balabit user7: 27.6 px/ms
   * over a 15.6 ms tick, 26-27 over the next). It was 20 until session 19, when Balabit's people
   * modelled at a 1000 Hz mouse (`npx cadence eval people-stress`, `1000 Hz mouse`) showed that
   * such a flick, sampled every millisecond, is 30 steps over 30 ms: 2 of 20 sessions challenged.
   * A cursor's speed is the hand's times DPI and gain, so this names only programs that jump.
   */
  maxPointerSpeed: 50,
  sustainedSteps: 3,
  sustainedMs: 30,
  /** An oblique action this straight with this many points was drawn by a program. */
  straightness: 0.9999,
  straightMinPoints: 8,
  straightMinDistance: 100,
  /**
   * ...or every sample within this of its best-fit line (px), over straightMinPoints distinct
   * positions: 2 of 11,938 oblique 100+ px actions of Balabit's people, 108 of 109 of pyautogui's
   * tween (bench's held-out bots), 178 of 178 of Playwright's mouse.move steps (synth linear-steps).
   */
  straightMaxDeviationPx: 0.75,
  /**
   * A mouse press this soon (ms) after a step this long (px) onto the target, where the step was
   * faster than teleportSpeed (px/ms) or came after the pointer sat still (>= teleportStillMs): the
   * pointer appeared on the target and pressed (Playwright's click: a 500 px step in one event,
   * pressed 1-2 ms later). A hand slows down onto a target; coarse sampling (remote desktops: a
   * sample every 100-200 ms) gives long steps too, but at hand speeds (2-3 px/ms in Balabit).
   */
  teleportPx: 300,
  teleportPressMs: 50,
  teleportSpeed: 6,
  teleportStillMs: 250,
  maxClicksPerSecond: 10,
  /** Share of identical consecutive key intervals (to 0.1 ms) above which timings look replayed. */
  replayShare: 0.5,
  /** Share of both holds and key intervals within minTimingCv of their medians for metronome_timing. */
  metronomeShare: 0.8,
  /** Samples needed before a timing rule may judge. */
  minSamples: 8,
  /** A field focused with no click, touch or key this long before it (ms) was focused by a script... */
  focusCauseMs: 1000,
  /** ...unless it happened this early in the page (autofocus at load; t is ms since navigation). */
  focusAutofocusMs: 3000,
  /** Letters in a window whose case contradicted Shift, at least (one may be a slip of the reporting). */
  minCaseMismatches: 2,
  /** Presses on a control's exact centre in a window for the full family (one is `centred_click`). */
  minCentredClicks: 2,
} as const;

export const AUTOMATION_SIGNALS = [
  'zero_variance_timing',
  'superhuman_typing',
  'implausible_holds',
  'superhuman_pointer',
  'straight_path',
  'teleport',
  'rapid_clicks',
  'replayed_timing',
  'unprompted_focus',
  'jittered_path',
  'webdriver',
  'headless_browser',
  'case_without_shift',
  'capital_without_shift',
  'keyless_fill',
  'keyless_form_fill',
  'centred_click',
  'centred_clicks',
  'detached_viewport',
  'metronome_timing',
] as const;
export type AutomationSignal = (typeof AUTOMATION_SIGNALS)[number];
const SIGNAL_NAMES = new Set<string>(AUTOMATION_SIGNALS);
export const isAutomationSignal = (reason: string): reason is AutomationSignal => SIGNAL_NAMES.has(reason);

export interface AutomationReport {
  signals: AutomationSignal[];
  /** Values behind each signal, all finite. */
  measures: Record<AutomationSignal, number>;
  /** Share of signals raised, in [0, 1]. */
  score: number;
}

function median(v: number[]): number {
  if (v.length === 0) return NaN;
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

type Rules = typeof AUTOMATION_RULES;
type Move = { t: number; x: number; y: number };

/**
 * The highest speed held over at least `rules.sustainedMs` of consecutive samples (px/ms): path
 * length over elapsed time, so that the device's rate (125-1000 Hz, timestamps rounded to 0.1 ms)
 * does not turn one short, noisy step into a superhuman speed.
 */
function sustainedSpeed(moves: Move[], rules: Rules): number {
  let best = 0;
  let length = 0;
  for (let i = 1, j = 0; i < moves.length; i++) {
    length += Math.hypot(moves[i]!.x - moves[i - 1]!.x, moves[i]!.y - moves[i - 1]!.y);
    // Shrink from the left while the span without the first step is still long enough.
    while (j + 1 < i && moves[i]!.t - moves[j + 1]!.t >= rules.sustainedMs) {
      length -= Math.hypot(moves[j + 1]!.x - moves[j]!.x, moves[j + 1]!.y - moves[j]!.y);
      j++;
    }
    const span = moves[i]!.t - moves[j]!.t;
    if (span < rules.sustainedMs || i - j < rules.sustainedSteps) continue;
    // Speed held over many steps, not one warp (a second monitor, a remote desktop) among slow ones.
    let largest = 0;
    for (let k = j + 1; k <= i; k++) largest = Math.max(largest, Math.hypot(moves[k]!.x - moves[k - 1]!.x, moves[k]!.y - moves[k - 1]!.y));
    if (largest <= 0.5 * length) best = Math.max(best, length / span);
  }
  return best;
}

/**
 * Every sample within `straightMaxDeviationPx` of the line that fits them best (total least
 * squares), over at least `straightMinPoints` distinct positions: a line drawn on the pixel grid
 * (pyautogui's tween, Playwright's steps), whose rounding keeps it within 0.71 px of its line; a
 * hand wanders more.
 */
function onALine(points: readonly Move[], rules: Rules): boolean {
  let distinct = 1;
  for (let i = 1; i < points.length; i++) if (points[i]!.x !== points[i - 1]!.x || points[i]!.y !== points[i - 1]!.y) distinct++;
  if (distinct < rules.straightMinPoints) return false;
  let [mx, my] = [0, 0];
  for (const p of points) [mx, my] = [mx + p.x, my + p.y];
  [mx, my] = [mx / points.length, my / points.length];
  let [sxx, syy, sxy] = [0, 0, 0];
  for (const p of points) [sxx, syy, sxy] = [sxx + (p.x - mx) ** 2, syy + (p.y - my) ** 2, sxy + (p.x - mx) * (p.y - my)];
  const angle = 0.5 * Math.atan2(2 * sxy, sxx - syy);
  const [ux, uy] = [Math.cos(angle), Math.sin(angle)];
  for (const p of points) if (Math.abs((p.y - my) * ux - (p.x - mx) * uy) > rules.straightMaxDeviationPx) return false;
  return true;
}

/** A stroke along a pixel row or column (a person's horizontal or vertical flick), within a few pixels. */
/**
 * Along one of the eight directions a keyboard moves a pointer in: an axis (a ruler-straight stroke
 * on a pixel grid) or a diagonal (Mouse Keys' 1, 3, 7 and 9 move both axes by the same step), to
 * within 8 px or 5 % of the stroke. Of straight lines 100-600 px long in random directions, 11 % are
 * exempt so (6.6 % by the axes alone).
 */
function alongAKeyDirection(points: Move[]): boolean {
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const p of points) [x0, x1, y0, y1] = [Math.min(x0, p.x), Math.max(x1, p.x), Math.min(y0, p.y), Math.max(y1, p.y)];
  const [w, h] = [x1 - x0, y1 - y0];
  const tolerance = Math.max(8, 0.05 * Math.hypot(w, h));
  return Math.min(w, h) <= tolerance || Math.abs(w - h) <= tolerance;
}

const USER_INPUT = new Set(['pointerdown', 'pointerup', 'touchstart', 'touchend', 'keydown', 'keyup']);

/**
 * Fields focused with no user input that could have moved the focus: an automation tool's
 * `element.focus()` before it types (Playwright's and Puppeteer's `type(selector)`, `fill`).
 */
function unpromptedFocuses(events: readonly BatchEvent[], rules: Rules): number {
  let count = 0;
  let lastInput = -Infinity;
  let lastRestore = -Infinity;
  let lastBlurred: string | undefined;
  for (const e of events) {
    if (USER_INPUT.has(e.type)) lastInput = e.t;
    else if (e.type === 'visibility') lastRestore = e.t;
    else if (e.type === 'blur') lastBlurred = e.field;
    else if (e.type === 'focus') {
      const caused = e.t - lastInput <= rules.focusCauseMs || e.t - lastRestore <= rules.focusCauseMs;
      const restored = e.field !== undefined && e.field === lastBlurred;
      if (!caused && !restored && e.t >= rules.focusAutofocusMs) count++;
    }
  }
  return count;
}

/** Mouse presses that came in one long step onto the target (a program's click), counted. */
function teleportClicks(events: readonly BatchEvent[], rules: Rules): number {
  let count = 0;
  let last: Move | undefined;
  let before: Move | undefined;
  for (const e of events) {
    if (e.type === 'pointermove' && Number.isFinite(e.x) && Number.isFinite(e.y)) {
      before = last;
      last = { t: e.t, x: e.x!, y: e.y! };
    } else if (e.type === 'pointerdown' && (e.pointerType ?? 'mouse') === 'mouse' && last && before) {
      const step = last.t - before.t;
      const dist = Math.hypot(last.x - before.x, last.y - before.y);
      const jumped = dist >= rules.teleportPx;
      if (jumped && e.t - last.t <= rules.teleportPressMs && (step <= 0 || dist / step >= rules.teleportSpeed || step >= rules.teleportStillMs)) count++;
      before = undefined; // one press per arrival
    }
  }
  return count;
}

const CASE_STATE = /^case:(\d+)\/(\d+)$/;
const CENTRE_STATE = /^centre:(\d+)\/(\d+)$/;

/** The environment facts a window's batches carried, and its fields filled with no key. */
function environmentOf(events: readonly BatchEvent[]) {
  let webdriver = 0;
  let headless = 0;
  let mismatched = 0;
  let checked = 0;
  let fills = 0;
  let centred = 0;
  let detached = 0;
  let touch = 0;
  let firstField: string | undefined;
  let fields = 0;
  for (const e of events) {
    if (e.type === 'input') {
      if (e.state !== 'programmatic') continue;
      fills++;
      // Distinct fields, counted without a set: a second field is all that matters.
      if (fields === 0) [firstField, fields] = [e.field, 1];
      else if (e.field !== firstField) fields = 2;
    } else if (e.type === 'environment') {
      if (e.state === 'webdriver') webdriver = 1;
      if (e.state === 'headless') headless = 1;
      if (e.state === 'detached') detached = 1;
      if (e.state === 'touch') touch = 1;
      const m = CASE_STATE.exec(e.state ?? '');
      if (m) {
        mismatched += Number(m[1]);
        checked += Math.max(Number(m[1]), Number(m[2]));
      }
      const c = CENTRE_STATE.exec(e.state ?? '');
      if (c) centred += Number(c[1]);
    }
  }
  return { webdriver, headless, mismatched, checked, fills, fields, centred, detached, touch };
}

/** Share of the values within `tolerance` (a fraction) of their median. */
function steadyShare(xs: number[], tolerance: number): number {
  const m = median(xs);
  if (!(m > 0)) return 0;
  let n = 0;
  for (const x of xs) if (Math.abs(x - m) <= tolerance * m) n++;
  return n / xs.length;
}

/** `strokes`: the window's keystrokes when the caller has them already (the pre-score pairs them once). */
export function automationSignals(events: readonly BatchEvent[], rules: Rules = AUTOMATION_RULES, strokes: readonly Stroke[] = strokesOf(events)): AutomationReport {
  const holds = strokes.map((s) => s.up - s.down).filter((h) => h >= 0);
  // Keys whose class the keyboard reported: soft keyboards report 'other' with near-zero holds.
  const knownHolds = strokes.filter((s) => s.cls !== 'other').map((s) => s.up - s.down).filter((h) => h >= 0);
  const bursts: number[] = [];
  for (let i = 1; i < strokes.length; i++) {
    const dt = strokes[i]!.down - strokes[i - 1]!.down;
    if (dt <= rules.pauseMs) bursts.push(dt);
  }
  // On a coarse clock (a browser resisting fingerprinting: scoring/features/clock.ts) intervals repeat
  // and holds read 0 for anyone: the key timing rules abstain.
  const fineClock = keyClockGrid(events) === 0;
  const enoughKeys = fineClock && bursts.length >= rules.minSamples;
  const enoughHolds = fineClock && holds.length >= rules.minSamples;
  const burstCv = enoughKeys ? cvOf(bursts, 1) : 1;
  const holdCv = enoughHolds ? cvOf(holds, 1) : 1;
  const timingCv = Math.min(burstCv, holdCv);
  // Both at once: a metronome. One steady series is a rate (a Kaggle typist held 7 keys within
  // 69-75 ms: CV 2.3 %, in 1 of 1,025 windows), both together no person's (0 windows of any set).
  // Robust to a few odd intervals (a move to the next field): the share within 3 % of the median.
  const metronome = enoughKeys && enoughHolds ? Math.min(steadyShare(bursts, rules.minTimingCv), steadyShare(holds, rules.minTimingCv)) : 0;
  const medianInterval = median(bursts);
  const env = environmentOf(events);
  // A touch screen: the window's touches, or the page's word for it (its keys may come from a soft keyboard).
  const touched = env.touch > 0 || events.some((e) => e.pointerType === 'touch' || e.type === 'touchstart');
  const medianHold = fineClock && knownHolds.length >= rules.minSamples - 2 ? median(knownHolds) : NaN;

  const moves: Move[] = [];
  for (const e of events) {
    if (e.type !== 'pointermove' || !Number.isFinite(e.x) || !Number.isFinite(e.y) || e.pointerType === 'touch') continue;
    // Samples sharing a timestamp (a remote desktop's flush) say where the pointer ended, not how fast it went.
    if (moves.length && moves[moves.length - 1]!.t === e.t) moves.pop();
    moves.push({ t: e.t, x: e.x!, y: e.y! });
  }
  const speed = sustainedSpeed(moves, rules);
  const straight = pointerActions(events)
    .filter((a) => a.points.length >= rules.straightMinPoints)
    .filter((a) => !alongAKeyDirection(a.points))
    .filter((a) => {
      const k = actionKinematics(a);
      return k.distance > rules.straightMinDistance && (k.straightness >= rules.straightness || onALine(a.points, rules));
    }).length;
  const teleports = teleportClicks(events, rules);
  const focuses = unpromptedFocuses(events, rules);
  const noise = pointerNoise(events);

  const clicks = events.filter((e) => e.type === 'pointerdown').map((e) => e.t);
  let maxClickRate = 0;
  for (let i = 0, j = 0; i < clicks.length; i++) {
    while (clicks[i]! - clicks[j]! > 1000) j++;
    maxClickRate = Math.max(maxClickRate, i - j + 1);
  }

  let same = 0;
  for (let i = 1; i < bursts.length; i++) if (bursts[i]! > 0 && Math.abs(bursts[i]! - bursts[i - 1]!) < 0.1) same++;
  const replayShare = enoughKeys ? same / (bursts.length - 1) : 0;


  const measures: Record<AutomationSignal, number> = {
    zero_variance_timing: finite(timingCv, 1),
    superhuman_typing: finite(enoughKeys ? medianInterval : 0),
    implausible_holds: finite(medianHold, 0),
    superhuman_pointer: finite(speed),
    straight_path: straight,
    teleport: teleports,
    rapid_clicks: maxClickRate,
    replayed_timing: finite(replayShare),
    unprompted_focus: focuses,
    jittered_path: noise.roughness,
    webdriver: env.webdriver,
    headless_browser: env.headless,
    case_without_shift: env.mismatched,
    capital_without_shift: env.mismatched,
    keyless_fill: env.fills,
    keyless_form_fill: env.fields,
    centred_click: env.centred,
    centred_clicks: env.centred,
    detached_viewport: env.detached,
    metronome_timing: finite(metronome),
  };
  const raised: Record<AutomationSignal, boolean> = {
    zero_variance_timing: (enoughKeys || enoughHolds) && timingCv < rules.minTimingCv,
    superhuman_typing: enoughKeys && medianInterval < rules.minKeyIntervalMs,
    implausible_holds: !touched && Number.isFinite(medianHold) && medianHold < rules.minHoldMs && !softKeyHolds(medianHold, medianInterval),
    superhuman_pointer: speed > rules.maxPointerSpeed,
    straight_path: straight > 0,
    teleport: teleports > 0,
    rapid_clicks: maxClickRate > rules.maxClicksPerSecond,
    replayed_timing: replayShare >= rules.replayShare,
    unprompted_focus: focuses > 0,
    jittered_path: noise.judged && noise.roughness > roughnessLimit(noise),
    webdriver: env.webdriver > 0,
    headless_browser: env.headless > 0,
    case_without_shift: env.mismatched >= rules.minCaseMismatches && env.mismatched < env.checked,
    // One letter alone (a password's one capital): weak, unless the session saw one before (session-evidence.ts).
    capital_without_shift: env.mismatched > 0 && env.mismatched < rules.minCaseMismatches && env.mismatched < env.checked,
    // One or the other: a form filled so is the same fact as a field, only more of it.
    keyless_fill: env.fills > 0 && env.fields < 2,
    keyless_form_fill: env.fields >= 2,
    // One or the other, as the fills: two presses on exact centres are the same fact, only more of it.
    centred_click: env.centred > 0 && env.centred < rules.minCentredClicks,
    centred_clicks: env.centred >= rules.minCentredClicks,
    detached_viewport: env.detached > 0,
    metronome_timing: metronome >= rules.metronomeShare,
  };
  const signals = AUTOMATION_SIGNALS.filter((s) => raised[s]);
  return { signals, measures, score: signals.length / AUTOMATION_SIGNALS.length };
}
