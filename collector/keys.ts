// Key classes: a keyboard event or a soft-keyboard input is reduced to its class; the value is read
// only to classify it and is never kept.
import type { KeyClass } from '../scoring/batch.ts';

const NAMED: Record<string, KeyClass> = {
  Backspace: 'backspace', Enter: 'enter', Shift: 'shift', Tab: 'tab',
  Control: 'modifier', Alt: 'modifier', AltGraph: 'modifier', Meta: 'modifier', OS: 'modifier', CapsLock: 'modifier', Fn: 'modifier',
  ArrowLeft: 'arrow', ArrowRight: 'arrow', ArrowUp: 'arrow', ArrowDown: 'arrow',
};

export function keyClass(key: string): KeyClass {
  if (key.length === 1) {
    if (key === ' ') return 'space';
    if (key >= '0' && key <= '9') return 'digit';
    // Any script's letter has case or is outside ASCII punctuation; good enough for rhythm.
    return key.toLowerCase() !== key.toUpperCase() || key > '\u00bf' ? 'letter' : 'punctuation';
  }
  return NAMED[key] ?? 'other';
}

/** A soft keyboard's input, classed from its inputType alone (the inserted text is never read). */
export function inputClass(inputType: string): KeyClass {
  if (inputType.startsWith('delete')) return 'backspace';
  if (inputType === 'insertLineBreak' || inputType === 'insertParagraph') return 'enter';
  return 'other';
}
