// Evidence accumulated over a session's windows: one odd window never steps a person up, a
// consistent signal does. A CUSUM of log-likelihood ratios (Page 1954; Wald's sequential test with
// its lower bound reset to 0), where a window's ratio comes from the automation signals it raised:
//
//   H0 (a person):  a signal fires in a window with probability p0 <= 1e-3. Measured with the rules
//                   of scoring/features/automation.ts: 0 of 19,942 3-s windows of the Balabit mouse
//                   sessions, 0 of 3,132 typing windows (Aalto, CMU, Kaggle); 3/n (the rule of
//                   three) bounds the rate at 1.5e-4 and 1e-3. jittered_path (pointer-noise.ts)
//                   judges only finely sampled windows: 0 of the 960 such Balabit windows (two
//                   users: one real set behind it), so its rate is bounded at 3e-3 of those.
//   H1 (a program): a signal fires in at least p1 = 0.3 of its judged windows.
//
// ln(p1 / p0) >= ln(300) = 5.7 per flagged window, counted as 5, below the challenge bound: one
// signal in one window never challenges. Signals of different families (timing regularity, typing
// speed, key holds, pointer shape, clicking) are different physical facts, so two families in one
// window count twice (a program's login: 3 ms between keys, 1 ms holds) and challenge at once;
// signals of one family (zero variance and replayed intervals) count once. A window that copies
// another session (scoring/replay-guard.ts: 0 of 23,403 people's windows matched another person)
// is a family of its own. What the page says of its own browser (scoring/features/automation.ts):
// navigator.webdriver (or HeadlessChrome in the user agent, the same family) is a family counted above
// the challenge bound (automated by definition);
// capitals typed with no Shift (`case_without_shift`, 0 of 105 Aalto sentences, 3,242 letters) too,
// one capital alone (`capital_without_shift`) weak until a second comes;
// a field filled whole with no key (`keyless_fill`) a weak family, a form so filled a full one; one
// press on a control's exact centre (`centred_click`) weak, two in a window (`centred_clicks`) full. A judged window without any signal is evidence the other way, ln((1 - p1) / (1 - p0)) = -0.36, rounded to CLEAN = -0.5 so that a flagged
// window is forgotten after about ten clean ones. Challenge at ln(1/alpha) with alpha = 1e-3
// (two flagged windows close together); block at 11.5 (alpha = 1e-5: three).
//
// A logged-in user's own model says `user_rhythm_unlike_owner` for about 5 % of the owner's windows
// (its calibration maps the owner's 95th percentile to monitor) and for most of someone else's:
// ln(0.6 / 0.05) = 2.5 per such window, so three in a row challenge an impostor, while an owner's
// odd windows, one in twenty, wear away. When the core gives the model's risk of the session's mean
// window so far (`ownerRisk`), the step is graded instead (scoring/owner-evidence.ts, fitted
// leave-users-out): from -1 when the session so far is well inside the owner's range to +2 when it is
// outside, in place of the clean step, so a session's verdict grows with its length and an owner's
// session mostly stays at 0. Automation
// families still count in full: the owner's rhythm only adds to them, never takes away.
//
// Whether the session's typing depends on its keys at all (scoring/features/typing-dependence.ts) is
// a test of the whole session, not of one window: a 3-s window holds 10-25 keys, too few. Its five
// sums are kept here (`typing`), and a judged window that adds keys of its own while the session's z
// is under its bound (which rises with the keys seen, as a person's z does) and no key has
// overlapped another raises `typing_ignores_keys`, a family of its own at full weight. For a bot
// drawing i.i.d. timings z stays a normal draw, for a person it grows, so windows that raise it
// cluster in bots' sessions. People's windows raising it: 4 of about 31,000 (docs/accuracy.md, eval sessions).
//
// Whether the session's reaches to a press are made of one sub-movement each, as generated paths
// are and a person's mostly are not (scoring/features/submovements.ts), is likewise a test of the
// session: its counts are kept here (`reaches`), and a judged window with reaches of its own while
// the session's binomial test says "too clean" raises `uncorrected_reaches`, a family of its own.
// The same record counts the session's movements and how many held a flat speed
// (scoring/features/flat-speed.ts); a judged window with movements of its own while the session's
// binomial test says "too flat" raises `flat_speed`, a family of its own. The same record counts
// bends taken at full speed (scoring/features/fast-bends.ts) and reaches whose speed ignored their
// bends (scoring/features/speed-curvature.ts); the four counts added up under their
// own bounds (scoring/features/clean-pointer.ts) raise `clean_pointer`, a family of its own, on a
// window that adds a clean outcome while neither test holds alone: a short session with a little of
// each. The same record counts reaches whose correction came back against the primary movement (an
// overshoot: people mostly undershoot); a judged window that adds such a reach while the session's
// binomial test says "comes back too often" raises `overshooting_reaches`, a family of its own.
//
// The distance of a window's rhythm to the population profile is not counted here: an unusual typist
// (very slow, very fast, one hand) is a person. It shows as the window's score and as `monitor`.
import { decide, DEFAULT_THRESHOLDS, type Thresholds } from './policy.ts';
import type { Assessment } from './prescore.ts';
import { AUTOMATION_SIGNALS, type AutomationSignal } from './features/automation.ts';
import { OWNER_EVIDENCE, ownerLlr, type OwnerTable } from './owner-evidence.ts';
import { addReaches, reachesOvershoot, reachesUncorrected, tooManyFor } from './features/submovements.ts';
import { foldPointer, type SessionPointer } from './features/pointer-window.ts';
import { FLAT_TEST } from './features/flat-speed.ts';
import { pointerTooClean } from './features/clean-pointer.ts';
import { addTyping, NO_TYPING, typingBound, typingZ, withoutRollover, type TypingDependence } from './features/typing-dependence.ts';

export const EVIDENCE_MODEL = {
  /** Each family of signals raised in a window adds this much (ln(p1 / p0), rounded down). */
  perFamily: 5,
  /** Families counted in one window, at most. */
  maxFamilies: 2,
  /** A window unlike the logged-in owner's own model (when only its reason is known). */
  unlikeOwner: 2.5,
  /** A window scored by the owner's model: graded by its risk (scoring/owner-evidence.ts). */
  owner: OWNER_EVIDENCE as OwnerTable,
  /** A judged window with no signal. */
  clean: -0.5,
  challengeAt: 6.9,
  blockAt: 11.5,
  /** Windows whose contributions are kept for the reasons. */
  keep: 8,
} as const;

export interface SessionEvidence {
  /** The CUSUM statistic, >= 0. */
  llr: number;
  /** Windows seen, and judged windows that raised a signal. */
  windows: number;
  flagged: number;
  /** Signals behind the evidence now, most recent first (at most `keep` distinct). */
  signals: string[];
  /** The session's typing-dependence rank sums (absent until a window had keys to test). */
  typing?: TypingDependence;
  /** The session's pointer counts, on whole movements (absent until a window had a mouse event; scoring/features/pointer-window.ts). */
  reaches?: SessionPointer;
  /**
   * Each family of FACT_FAMILIES raised since the statistic last stood at 0: `n`, how many times it
   * counts (1, or 2 once seen twice within FACT_HORIZON windows: all `corroborated` asks), and `at`,
   * the session's window that last raised it. Absent in evidence kept before session 17: each fact
   * named in `signals` then counts as seen twice, as it was read before.
   */
  facts?: Record<string, SessionFact>;
  /**
   * Signals a verified MPIN (or an analyst's clear) answered in this session: later windows of their
   * rate groups add nothing (see `afterStepUp`). Facts are never answered. Kept for the session.
   */
  answered?: string[];
}

export interface SessionFact {
  n: number;
  at: number;
}

/**
 * Windows within which a fact raised again is a second fact (a minute of the collector's 3-s
 * windows): a program raises its facts window after window (every bot family of `npx cadence eval
 * sessions` is blocked alike at 10 or 30), while a person's chance facts come far apart (a
 * trackpoint modelled by people-stress's `held speed`: a straight line, then a fast flick 180
 * windows later).
 */
export const FACT_HORIZON = 20;
/**
 * Facts no person's browser produces by chance, declared rather than measured: it says it is driven
 * (webdriver, HeadlessChrome), its page sits where no screen shows it, or the window copies another
 * session. Each counts as two facts at once; the measured ones (a straight line, a superhuman speed,
 * machine-steady timing...) can come once from a person's device or clock.
 */
const CERTAIN_FACTS: ReadonlySet<string> = new Set(['webdriver', 'window_geometry', 'replay']);

export const NO_EVIDENCE: SessionEvidence = Object.freeze({ llr: 0, windows: 0, flagged: 0, signals: [] as string[] }) as SessionEvidence;

/** Which physical fact each signal measures: signals of one family are not independent evidence. */
export const SIGNAL_FAMILY: Record<AutomationSignal, string> = {
  zero_variance_timing: 'regularity',
  replayed_timing: 'regularity',
  superhuman_typing: 'typing_speed',
  implausible_holds: 'holds',
  superhuman_pointer: 'pointer',
  straight_path: 'pointer',
  teleport: 'pointer',
  rapid_clicks: 'clicks',
  unprompted_focus: 'focus',
  // White noise across the path (a generated curve with per-point jitter): not the path's shape.
  jittered_path: 'pointer_noise',
  webdriver: 'webdriver',
  // Another way a browser declares automation: the same fact, counted once with webdriver.
  headless_browser: 'webdriver',
  case_without_shift: 'keyboard_state',
  capital_without_shift: 'keyboard_state',
  keyless_fill: 'fill',
  keyless_form_fill: 'form_fill',
  centred_click: 'click_target',
  centred_clicks: 'click_target',
  // The page where no window holds it (headless Chromium): its own fact, at perFamily.
  detached_viewport: 'window_geometry',
  // Holds and key intervals both machine-steady: the regularity fact in full (see SIGNAL_WEIGHTS_STRONG).
  metronome_timing: 'regularity',
};

/**
 * Families not counted at perFamily. Weak: their rate among people is reasoned, not measured (no
 * public recording has focus or input-provenance events): ln(0.6 / 0.05) = 2.5, so that alone they
 * need three windows (one field filled whole with no key may be dictation or a voice-control tool;
 * two in one 3-s window, a login's user name and password, count at perFamily: monitored, and
 * challenged with any other family). Strong (7 > challengeAt: the first judged window challenges,
 * and with any other family blocks, when that makes two facts: see `corroborated`): facts a person's
 * browser cannot produce, not rates. A browser
 * that declares itself driven by automation (navigator.webdriver) is automated by definition; a
 * keyboard whose capitals come without Shift over two or more letters, while its other letters
 * agree with Shift (so the state is reported), is a program sending keys (0 of 105 Aalto sentences,
 * 3,242 letters; reasoned: a remote-desktop client that sends capitals as keysyms without Shift
 * would be caught too). A bot that hides either only loses that family. Capitals without Shift are
 * still a rate for blocking (see RATE_GROUP: a remote-desktop client repeats them), webdriver a fact.
 */
const FAMILY_WEIGHTS: Record<string, number> = { focus: 2.5, fill: 2.5, webdriver: 7, keyboard_state: 7 };
/**
 * Signals weaker than their family, for one occurrence: one press on a control's centre (about 1 in
 * 200 of a person's presses on a button), one capital without Shift (none in 3,242 Aalto letters: a
 * rate bounded at 1e-3 a letter, about 2e-2 a window; a password's single capital is all a bot may
 * show). Seen again while the session's evidence still holds the first (its signals), the two are
 * the family's full fact: p0 squared, as two in one window.
 */
const SIGNAL_WEIGHTS_WEAK: Partial<Record<AutomationSignal, number>> = { centred_click: 2.5, capital_without_shift: 2.5 };
/**
 * Signals stronger than their family: holds and key intervals of one window both within 3 % of their
 * means (8+ of each) is a metronome, not a rate (either alone: 1 of 3,461 typing windows of Aalto,
 * CMU and Kaggle; both: none, at any clock from 1 to 20 ms, `npx cadence eval sessions --clock-ms Q`).
 */
const SIGNAL_WEIGHTS_STRONG: Partial<Record<AutomationSignal, number>> = { metronome_timing: 7 };
const SIGNALS = new Set<string>(AUTOMATION_SIGNALS);
const UNLIKE_OWNER = 'user_rhythm_unlike_owner';
/** scoring/replay-guard.ts: the window copies another session (its own family). */
const REPLAYED = 'replayed_session';
/** scoring/features/typing-dependence.ts: the session's key timings ignore the keys (its own family). */
export const TYPING_IGNORES_KEYS = 'typing_ignores_keys';
/** A window adds to that evidence only with keys of its own (pairs - 1 of the hold-flight test). */
const TYPING_WINDOW_INFO = 3;

/** The session's typing totals with this window's, and whether they now say "ignores its keys". */
export function typingOf(e: SessionEvidence, a: Pick<Assessment, 'judged' | 'typing'>): { typing?: TypingDependence; ignoresKeys: boolean } {
  if (!a.typing) return { typing: e.typing, ignoresKeys: false };
  const typing = addTyping(e.typing ?? NO_TYPING, a.typing);
  const z = typingZ(typing);
  return { typing, ignoresKeys: a.judged && a.typing.hfInfo >= TYPING_WINDOW_INFO && z < typingBound(typing) && withoutRollover(typing) };
}

/** scoring/features/submovements.ts: the session's reaches are too clean for a hand (its own family). */
export const UNCORRECTED_REACHES = 'uncorrected_reaches';

/** scoring/features/flat-speed.ts: the session's movements hold a flat speed no hand holds (its own family). */
export const FLAT_SPEED = 'flat_speed';

/** scoring/features/submovements.ts: the session's corrected reaches come back past their targets too often for a hand (its own family). */
export const OVERSHOOTING_REACHES = 'overshooting_reaches';

/** scoring/features/clean-pointer.ts: reaches, movements and bends together too clean for a hand (its own family). */
export const CLEAN_POINTER = 'clean_pointer';

/**
 * The session's pointer counts with this window's, and whether a judged window in which the pointer
 * moved now says "too clean" (reaches), "too flat" (movements), "comes back too often" (corrections)
 * or, neither of the first two alone, "too clean" of the counts together.
 */
export function reachesOfSession(e: SessionEvidence, a: Pick<Assessment, 'judged' | 'reaches'>): { reaches?: SessionPointer; uncorrected: boolean; flat: boolean; overshoot: boolean; clean: boolean } {
  if (!a.reaches) return { reaches: e.reaches, uncorrected: false, flat: false, overshoot: false, clean: false };
  // What this window adds: its own whole movements, and the one it finished (scoring/features/pointer-window.ts).
  const { session, added: own } = foldPointer(e.reaches, a.reaches);
  // A window too small to judge may finish a movement (a batch of one move after it): its outcomes
  // wait for the next judged window, so that such batches cannot hide them.
  const carried = e.reaches?.unraised;
  const added = carried ? addReaches(carried, own) : own;
  const some = added.n > 0 || !!added.moves || !!added.bends;
  if (!a.judged) return { reaches: some ? { ...session, unraised: added } : session, uncorrected: false, flat: false, overshoot: false, clean: false };
  const reaches = session;
  if (!some) return { reaches, uncorrected: false, flat: false, overshoot: false, clean: false };
  const reachTest = reachesUncorrected(reaches);
  const flatTest = !!reaches.moves && tooManyFor(reaches.moves, reaches.flat!, FLAT_TEST);
  const overshootTest = reachesOvershoot(reaches);
  // A test that holds raises only a window that adds a clean outcome of its own kind (a reach of one
  // sub-movement, a flat movement): new evidence. Raising it on any later window that moved (tried
  // in session 12) turned one chance crossing into a block: a remote desktop's 30 Hz pointer (Balabit
  // user20 resampled) crossed once and was blocked three windows later by windows that added nothing.
  const uncorrected = a.judged && added.single > 0 && reachTest;
  const flat = a.judged && (added.flat ?? 0) > 0 && flatTest;
  const overshoot = a.judged && (added.reversed ?? 0) > 0 && overshootTest;
  // The counts together (scoring/features/clean-pointer.ts), only while neither test holds alone
  // (the same reaches and movements are not counted twice), and only on a window that adds a clean
  // outcome of its own (a one-sub-movement reach, a flat movement, a fast bend; the fourth count's
  // outcome, a one-sub-movement reach that also ignored its bends, is a one-sub-movement reach too):
  // new evidence. Reversed corrections are not among them: another outcome of the same reaches, tested alone.
  const addsClean = added.single > 0 || (added.flat ?? 0) > 0 || (added.fastBends ?? 0) > 0;
  const clean = a.judged && addsClean && !reachTest && !flatTest && pointerTooClean(reaches);
  return { reaches, uncorrected, flat, overshoot, clean };
}

/** The window's contribution to the session's evidence, from its reasons. */
/** The family each session-level signal counts as (one source for the evidence and for corroboration). */
const SESSION_TEST_FAMILY: Record<string, string> = {
  [TYPING_IGNORES_KEYS]: 'typing_dependence',
  [UNCORRECTED_REACHES]: 'submovements',
  [FLAT_SPEED]: 'flat_speed',
  [CLEAN_POINTER]: 'clean_pointer',
  [OVERSHOOTING_REACHES]: 'overshoots',
  [UNLIKE_OWNER]: 'owner',
  [REPLAYED]: 'replay',
};

export function windowLlr(a: Pick<Assessment, 'judged' | 'reasons' | 'ownerRisk'>, m = EVIDENCE_MODEL, ignoresKeys = false, seen: readonly string[] = [], uncorrectedReaches = false, flatSpeed = false, cleanPointer = false, overshootingReaches = false): number {
  if (!a.judged) return 0;
  // Each family once, at the weight of its strongest signal raised.
  const families = new Map<string, number>();
  for (const r of a.reasons) {
    if (!SIGNALS.has(r)) continue;
    const family = SIGNAL_FAMILY[r as AutomationSignal];
    const full = SIGNAL_WEIGHTS_STRONG[r as AutomationSignal] ?? FAMILY_WEIGHTS[family] ?? m.perFamily;
    const w = seen.includes(r) ? full : (SIGNAL_WEIGHTS_WEAK[r as AutomationSignal] ?? full);
    families.set(family, Math.max(families.get(family) ?? 0, w));
  }
  const raise = (signal: string) => families.set(SESSION_TEST_FAMILY[signal]!, m.perFamily);
  if (a.reasons.includes(REPLAYED)) raise(REPLAYED);
  if (ignoresKeys) raise(TYPING_IGNORES_KEYS);
  if (uncorrectedReaches) raise(UNCORRECTED_REACHES);
  if (flatSpeed) raise(FLAT_SPEED);
  if (cleanPointer) raise(CLEAN_POINTER);
  if (overshootingReaches) raise(OVERSHOOTING_REACHES);
  if (a.ownerRisk !== undefined) {
    const owner = ownerLlr(a.ownerRisk, m.owner);
    if (families.size === 0) return owner;
    return familyWeight(families, m) + Math.max(0, owner);
  }
  const owner = a.reasons.includes(UNLIKE_OWNER) ? m.unlikeOwner : 0;
  if (families.size === 0 && owner === 0) return m.clean;
  return familyWeight(families, m) + owner;
}

/** The strongest `maxFamilies` families of a window, summed. */
function familyWeight(families: ReadonlyMap<string, number>, m: typeof EVIDENCE_MODEL): number {
  const weights = [...families.values()].sort((a, b) => b - a);
  return weights.slice(0, m.maxFamilies).reduce((s, w) => s + w, 0);
}

/**
 * The rate group a step-up may answer for a signal: undefined for facts, for reasons that are not
 * signals, and for the owner's own model (the MPIN proves who held the session then, not that the
 * same person types later: a hand-over after it must still count).
 */
function answerableGroupOf(signal: string): string | undefined {
  const family = familyOfSignal(signal);
  if (family === undefined || FACT_FAMILIES.has(family)) return undefined;
  const group = RATE_GROUP[family] ?? family;
  return group === 'owner' ? undefined : group;
}

/** The rate groups a step-up answered in this session. */
function answeredGroups(e: Pick<SessionEvidence, 'answered'>): ReadonlySet<string> {
  const out = new Set<string>();
  for (const signal of e.answered ?? []) {
    const group = answerableGroupOf(signal);
    if (group !== undefined) out.add(group);
  }
  return out;
}

/**
 * The evidence after a verified MPIN that answered a challenge: at most `cap` (AFTER_MPIN_LLR: the
 * MPIN proves who holds it, not that the hands are human), and the rates behind it answered for the
 * rest of the session (not the owner's own model: see answerableGroupOf). A
 * person whose device raises a rate window after window (a trackpoint's flat speed, a rough mouse)
 * would otherwise be asked for the MPIN again a window or two after giving it, and again after that;
 * asking again for what the MPIN already answered adds nothing against someone who holds it. A
 * different rate, or any fact, still counts. An analyst's clear answers them too (cap 0).
 */
export function afterStepUp(e: SessionEvidence, cap: number): SessionEvidence {
  const answered = [...new Set([...(e.answered ?? []), ...e.signals.filter((s) => answerableGroupOf(s) !== undefined)])];
  return { ...e, llr: Math.min(e.llr, cap), ...(answered.length ? { answered } : {}) };
}

/** The window without what a step-up answered: the signals and session tests of its answered rate groups. */
function unanswered<A extends Pick<Assessment, 'judged' | 'reasons'>>(e: SessionEvidence, a: A): { a: A; live: (signal: string) => boolean } {
  const groups = answeredGroups(e);
  if (groups.size === 0) return { a, live: () => true };
  const live = (signal: string) => {
    const group = answerableGroupOf(signal);
    return group === undefined || !groups.has(group);
  };
  return { a: { ...a, reasons: a.reasons.filter((r) => !SIGNALS.has(r) || live(r)) }, live };
}

/** Folds one window into the session's evidence. Pure: the edge and the core keep their own copies. */
export function accumulate(e: SessionEvidence, window: Pick<Assessment, 'judged' | 'reasons' | 'typing' | 'reaches' | 'ownerRisk'>, m = EVIDENCE_MODEL): SessionEvidence {
  const { typing, ignoresKeys: keys } = typingOf(e, window);
  const { reaches, uncorrected: u, flat: f, overshoot: o, clean: c } = reachesOfSession(e, window);
  // What a step-up answered neither adds to the statistic nor names itself (the session tests' sums go on).
  const { a, live } = unanswered(e, window);
  const [ignoresKeys, uncorrected, flat, overshoot, clean] = [keys && live(TYPING_IGNORES_KEYS), u && live(UNCORRECTED_REACHES), f && live(FLAT_SPEED), o && live(OVERSHOOTING_REACHES), c && live(CLEAN_POINTER)];
  const step = windowLlr(a, m, ignoresKeys, e.llr > 0 ? e.signals : [], uncorrected, flat, clean, overshoot);
  const llr = Math.max(0, e.llr + step);
  // The owner's model names a window unlike the owner for about 5 % of the owner's own windows; when
  // the session's mean window says the owner (ownerRisk graded at or under 0), that name is no signal.
  const unlike = a.ownerRisk === undefined || ownerLlr(a.ownerRisk, m.owner) > 0;
  const raised = step > 0 ? [...(ignoresKeys ? [TYPING_IGNORES_KEYS] : []), ...(uncorrected ? [UNCORRECTED_REACHES] : []), ...(flat ? [FLAT_SPEED] : []), ...(overshoot ? [OVERSHOOTING_REACHES] : []), ...(clean ? [CLEAN_POINTER] : []), ...a.reasons.filter((r) => SIGNALS.has(r) || (r === UNLIKE_OWNER && unlike) || r === REPLAYED)] : [];
  // Once the statistic is back at 0 the earlier signals no longer explain anything.
  const kept = llr === 0 ? [] : e.signals;
  const signals = [...new Set([...raised, ...kept])].slice(0, m.keep);
  const facts = factsAfter(llr === 0 ? undefined : e.facts ?? legacyFacts(e.signals, e.windows), raised, e.windows);
  return { llr: Math.round(llr * 1e3) / 1e3, windows: e.windows + 1, flagged: e.flagged + (step > 0 ? 1 : 0), signals, ...(typing ? { typing } : {}), ...(reaches ? { reaches } : {}), ...(facts ? { facts } : {}), ...(e.answered ? { answered: e.answered } : {}) };
}

/**
 * Facts that are rates, which a person's device, tools or habits can raise window after window: a
 * strong pointer acceleration over a low-resolution mouse roughens every fast path (`npx cadence eval
 * people-stress`: acceleration x3 blocked 2 of Balabit's 20 sessions on `jittered_path` alone); a
 * trackpoint or a keyboard-driven pointer (an accessibility setting) holds a flat speed and clean
 * reaches; a remote-desktop client may send capitals without Shift; an owner's rhythm drifts; a
 * password manager or dictation fills fields. Their rates were fitted (or reasoned) on few people,
 * and repeated they are one fact, not independent ones. Alone, one group challenges (a step-up a
 * person passes) and never blocks; a block needs a second group beside it (the pointer's shape and
 * the typing's dependence are two facts; the pointer's shape tests count the same movements: one
 * group), or facts of FACT_FAMILIES, what a person's browser cannot produce, in two windows or two
 * families (see `corroborated`). Filled fields and
 * unprompted focus never count as the second group: a password manager is too common to corroborate.
 */
const RATE_GROUP: Record<string, string> = {
  pointer_noise: 'pointer_shape',
  submovements: 'pointer_shape',
  flat_speed: 'pointer_shape',
  clean_pointer: 'pointer_shape',
  overshoots: 'pointer_shape',
  typing_dependence: 'typing_dependence',
  owner: 'owner',
  keyboard_state: 'keyboard_state',
  click_target: 'click_target',
};
/** Rates that never corroborate (see RATE_GROUP). */
const NEVER_CORROBORATE = new Set(['fill', 'form_fill', 'focus']);
/**
 * Families that block on their own when seen in two windows (or two of them once each): superhuman
 * typing or pointer speed, teleports and drawn straight lines, holds no finger makes, machine-steady
 * or replayed timing, clicks faster than a hand, webdriver, a page no screen shows, a replay of
 * another session. A family in neither list is a rate (the safe default for a signal added later).
 */
export const FACT_FAMILIES: ReadonlySet<string> = new Set(['regularity', 'typing_speed', 'holds', 'pointer', 'clicks', 'webdriver', 'window_geometry', 'replay']);
/** Weak single occurrences (one centred press, one capital): their full forms corroborate, they do not. */
const WEAK_ALONE = new Set<string>(['centred_click', 'capital_without_shift']);

/** The family a signal of the session's evidence belongs to (undefined: a reason, not a signal). */
export function familyOfSignal(signal: string): string | undefined {
  return SESSION_TEST_FAMILY[signal] ?? (SIGNALS.has(signal) ? SIGNAL_FAMILY[signal as AutomationSignal] : undefined);
}

/** The facts after window `at` raised `raised` (undefined while there is none): see SessionEvidence.facts. */
function factsAfter(before: Record<string, SessionFact> | undefined, raised: readonly string[], at: number): Record<string, SessionFact> | undefined {
  const now = new Set<string>();
  for (const signal of raised) {
    const family = familyOfSignal(signal);
    if (family !== undefined && FACT_FAMILIES.has(family)) now.add(family);
  }
  if (now.size === 0) return before;
  const out: Record<string, SessionFact> = { ...before };
  for (const family of now) {
    const last = out[family];
    const twice = CERTAIN_FACTS.has(family) || (last !== undefined && (last.n >= 2 || at - last.at <= FACT_HORIZON));
    out[family] = { n: twice ? 2 : 1, at };
  }
  return out;
}

/** Evidence kept before fact counts existed: each fact it names counts as seen twice (the old reading). */
function legacyFacts(signals: readonly string[], at: number): Record<string, SessionFact> | undefined {
  let out: Record<string, SessionFact> | undefined;
  for (const signal of signals) {
    const family = familyOfSignal(signal);
    if (family !== undefined && FACT_FAMILIES.has(family)) (out ??= {})[family] = { n: 2, at };
  }
  return out;
}

/**
 * Whether the session's evidence may block: two facts behind it. A fact is a family of FACT_FAMILIES
 * raised in two windows within FACT_HORIZON, two such families, or one of CERTAIN_FACTS; or two
 * groups of rates (see RATE_GROUP). One window's measured fact beside rates is not enough: a person's
 * unusual device raises its rate window after window, and over a long session a chance fact comes
 * too (`straight_path` in 2 of Balabit's 19,942 windows as recorded), which read as the second fact
 * blocked such a person. Evidence with no signal named is the owner's graded rhythm: one rate.
 */
export function corroborated(e: Pick<SessionEvidence, 'signals' | 'facts' | 'answered'>): boolean {
  const groups = new Set<string>();
  const answered = answeredGroups(e);
  const facts = e.facts ?? legacyFacts(e.signals, 0) ?? {};
  let seen = 0;
  for (const signal of e.signals) {
    const family = familyOfSignal(signal);
    if (family === undefined || WEAK_ALONE.has(signal) || NEVER_CORROBORATE.has(family)) continue;
    if (FACT_FAMILIES.has(family)) continue;
    const group = RATE_GROUP[family] ?? family;
    if (!answered.has(group)) groups.add(group);
  }
  for (const [family, fact] of Object.entries(facts)) if (e.signals.some((s) => familyOfSignal(s) === family)) seen += Math.min(2, fact.n);
  return seen >= 2 || groups.size >= 2;
}

/**
 * Session score in [0, 1]: the statistic on the scale of the default thresholds (challengeAt -> 0.7,
 * blockAt -> 0.9, then towards 1). The decision is taken on this score with the configured
 * thresholds, so an operator who raises them asks for more evidence.
 */
export function sessionScore(e: SessionEvidence, m = EVIDENCE_MODEL): number {
  const t = DEFAULT_THRESHOLDS;
  const x = e.llr;
  let s: number;
  if (x >= m.blockAt) s = t.block + (1 - t.block) * (1 - Math.exp(-(x - m.blockAt) / m.blockAt));
  else if (x >= m.challengeAt) s = t.challenge + ((t.block - t.challenge) * (x - m.challengeAt)) / (m.blockAt - m.challengeAt);
  else s = (t.challenge * x) / m.challengeAt;
  return Math.round(Math.min(1, s) * 1e4) / 1e4;
}

export interface SessionAssessment extends Assessment {
  /** The window's own score, before the session's evidence. */
  windowScore: number;
  evidence: SessionEvidence;
}

/**
 * The answer for a window within its session: challenge and block come only from the session's
 * accumulated evidence; a window far out on its own raises the answer to monitor, never past it.
 * The reasons are the session's signals first, then the window's own.
 */
export function sessionAnswer(e: SessionEvidence, window: Assessment, t: Thresholds, m = EVIDENCE_MODEL): Assessment {
  let score = sessionScore(e, m);
  // A window far out on its own (at or above challenge) is worth watching: monitor, never more.
  // One merely unusual (the monitor band: 14 % of some people's windows) does not move the session;
  // below that, the window's own score shows through (how usual the rhythm is).
  if (window.judged) score = Math.max(score, window.score >= t.challenge ? t.monitor : Math.min(window.score, t.monitor - 1e-4));
  score = Math.round(score * 1e4) / 1e4;
  let decision = decide(score, t);
  // One group of rates alone challenges and never blocks, whatever the thresholds (see RATE_GROUP).
  if (decision === 'block' && !corroborated(e)) {
    decision = 'challenge';
    score = Math.max(t.challenge, Math.round((t.block - 1e-4) * 1e4) / 1e4);
  }
  const reasons = decision === 'allow' ? window.reasons : [...e.signals, ...window.reasons.filter((r) => !e.signals.includes(r))];
  // The window's typing sums and owner risk are the session's business, not the answer's.
  const { typing: _typing, reaches: _reaches, ownerRisk: _ownerRisk, ...answer } = window;
  return { ...answer, score, decision, reasons };
}

/** The same answer with the window's own score and the evidence beside it (evaluations, tests). */
export function judgeInSession(e: SessionEvidence, window: Assessment, t: Thresholds, m = EVIDENCE_MODEL): SessionAssessment {
  return { ...sessionAnswer(e, window, t, m), windowScore: window.score, evidence: e };
}
