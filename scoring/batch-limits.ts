// The event batch's vocabulary and bounds, shared by its zod schema (scoring/batch.ts) and its
// allocation-free check (scoring/batch-check.ts).
export const EVENT_TYPES = [
  'keydown', 'keyup', 'pointermove', 'pointerdown', 'pointerup', 'wheel',
  'touchstart', 'touchmove', 'touchend', 'focus', 'blur', 'navigation', 'visibility', 'input', 'environment',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const KEY_CLASSES = [
  'letter', 'digit', 'space', 'backspace', 'enter', 'shift', 'modifier', 'punctuation', 'arrow', 'tab', 'other',
] as const;
export type KeyClass = (typeof KEY_CLASSES)[number];

export const LIMITS = {
  maxEvents: 500,
  maxIdLength: 128,
  maxFieldLength: 64,
  maxPageLength: 512,
  /** A page open for a year, in ms: beyond it a timestamp is a bug or an attack. */
  maxTimestampMs: 365 * 24 * 3600 * 1000,
  maxCoordinate: 1_000_000,
  maxSeq: 2 ** 31 - 1,
} as const;

export const POINTER_TYPES = ['mouse', 'pen', 'touch'] as const;

/**
 * How a field's value changed, as an 'input' event's `state` (never the value or its length):
 * typed (key events), paste, drop, autofill, replace (insertReplacementText: a suggestion or
 * spelling fix), programmatic (two or more letters or digits inserted at once by the browser with no
 * key, paste or autofill: `page.fill`, CDP's insertText), script (the value set by a page script
 * with no browser input at all: a password manager extension, the page's own code, `el.value =`).
 */
export const INPUT_STATES = ['typed', 'paste', 'drop', 'autofill', 'replace', 'programmatic', 'script'] as const;
export type InputState = (typeof INPUT_STATES)[number];

/**
 * An 'environment' event's `state`: what the page measured of its own browser over the batch, never
 * a key value: `webdriver` (navigator.webdriver is true), `headless` (the user agent says
 * HeadlessChrome), `case:M/N` (M of the N letters whose case
 * could be checked contradicted the Shift state) or `centre:M/N` (M of the N presses on a control
 * landed within a pixel of its centre) or `detached` (the pointer placed the page where its window
 * cannot hold it) or `touch` (the device has a touch screen: its keys may come from a soft keyboard).
 */
export const ENVIRONMENT_STATE = /^(?:webdriver|headless|detached|touch|(?:case|centre):\d{1,4}\/\d{1,4})$/;

export const ID_PATTERN = /^[A-Za-z0-9._:-]+$/;

/** A lone surrogate is not text: it cannot be stored everywhere (a libSQL server refuses it). */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
