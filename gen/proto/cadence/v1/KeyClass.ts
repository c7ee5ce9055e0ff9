// Original file: proto/cadence/v1/events.proto

/**
 * The class of a key, so rhythm can be studied without knowing what was typed.
 */
export const KeyClass = {
  KEY_CLASS_UNSPECIFIED: 'KEY_CLASS_UNSPECIFIED',
  KEY_CLASS_LETTER: 'KEY_CLASS_LETTER',
  KEY_CLASS_DIGIT: 'KEY_CLASS_DIGIT',
  KEY_CLASS_SPACE: 'KEY_CLASS_SPACE',
  KEY_CLASS_BACKSPACE: 'KEY_CLASS_BACKSPACE',
  KEY_CLASS_ENTER: 'KEY_CLASS_ENTER',
  KEY_CLASS_SHIFT: 'KEY_CLASS_SHIFT',
  KEY_CLASS_MODIFIER: 'KEY_CLASS_MODIFIER',
  KEY_CLASS_PUNCTUATION: 'KEY_CLASS_PUNCTUATION',
  KEY_CLASS_ARROW: 'KEY_CLASS_ARROW',
  KEY_CLASS_TAB: 'KEY_CLASS_TAB',
  KEY_CLASS_OTHER: 'KEY_CLASS_OTHER',
} as const;

/**
 * The class of a key, so rhythm can be studied without knowing what was typed.
 */
export type KeyClassInit =
  | 'KEY_CLASS_UNSPECIFIED'
  | 0
  | 'KEY_CLASS_LETTER'
  | 1
  | 'KEY_CLASS_DIGIT'
  | 2
  | 'KEY_CLASS_SPACE'
  | 3
  | 'KEY_CLASS_BACKSPACE'
  | 4
  | 'KEY_CLASS_ENTER'
  | 5
  | 'KEY_CLASS_SHIFT'
  | 6
  | 'KEY_CLASS_MODIFIER'
  | 7
  | 'KEY_CLASS_PUNCTUATION'
  | 8
  | 'KEY_CLASS_ARROW'
  | 9
  | 'KEY_CLASS_TAB'
  | 10
  | 'KEY_CLASS_OTHER'
  | 11

/**
 * The class of a key, so rhythm can be studied without knowing what was typed.
 */
export type KeyClass = typeof KeyClass[keyof typeof KeyClass]
