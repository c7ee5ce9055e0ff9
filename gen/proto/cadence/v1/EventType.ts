// Original file: proto/cadence/v1/events.proto

export const EventType = {
  EVENT_TYPE_UNSPECIFIED: 'EVENT_TYPE_UNSPECIFIED',
  EVENT_TYPE_KEYDOWN: 'EVENT_TYPE_KEYDOWN',
  EVENT_TYPE_KEYUP: 'EVENT_TYPE_KEYUP',
  EVENT_TYPE_POINTERMOVE: 'EVENT_TYPE_POINTERMOVE',
  EVENT_TYPE_POINTERDOWN: 'EVENT_TYPE_POINTERDOWN',
  EVENT_TYPE_POINTERUP: 'EVENT_TYPE_POINTERUP',
  EVENT_TYPE_WHEEL: 'EVENT_TYPE_WHEEL',
  EVENT_TYPE_TOUCHSTART: 'EVENT_TYPE_TOUCHSTART',
  EVENT_TYPE_TOUCHMOVE: 'EVENT_TYPE_TOUCHMOVE',
  EVENT_TYPE_TOUCHEND: 'EVENT_TYPE_TOUCHEND',
  EVENT_TYPE_FOCUS: 'EVENT_TYPE_FOCUS',
  EVENT_TYPE_BLUR: 'EVENT_TYPE_BLUR',
  EVENT_TYPE_NAVIGATION: 'EVENT_TYPE_NAVIGATION',
  EVENT_TYPE_VISIBILITY: 'EVENT_TYPE_VISIBILITY',
  /**
   * How a field's value changed (state: typed, paste, drop, autofill, replace, programmatic, script).
   */
  EVENT_TYPE_INPUT: 'EVENT_TYPE_INPUT',
  /**
   * What the page measured of its own browser over the batch, closing it; counts, never key values
   * (state: "webdriver" when navigator.webdriver is true; "headless" when the user agent says
   * HeadlessChrome; "case:M/N" when M of the N letters checked
   * had a case their Shift state contradicts; "centre:M/N" when M of the N presses on a control
   * landed within a pixel of its centre).
   */
  EVENT_TYPE_ENVIRONMENT: 'EVENT_TYPE_ENVIRONMENT',
} as const;

export type EventTypeInit =
  | 'EVENT_TYPE_UNSPECIFIED'
  | 0
  | 'EVENT_TYPE_KEYDOWN'
  | 1
  | 'EVENT_TYPE_KEYUP'
  | 2
  | 'EVENT_TYPE_POINTERMOVE'
  | 3
  | 'EVENT_TYPE_POINTERDOWN'
  | 4
  | 'EVENT_TYPE_POINTERUP'
  | 5
  | 'EVENT_TYPE_WHEEL'
  | 6
  | 'EVENT_TYPE_TOUCHSTART'
  | 7
  | 'EVENT_TYPE_TOUCHMOVE'
  | 8
  | 'EVENT_TYPE_TOUCHEND'
  | 9
  | 'EVENT_TYPE_FOCUS'
  | 10
  | 'EVENT_TYPE_BLUR'
  | 11
  | 'EVENT_TYPE_NAVIGATION'
  | 12
  | 'EVENT_TYPE_VISIBILITY'
  | 13
  /**
   * How a field's value changed (state: typed, paste, drop, autofill, replace, programmatic, script).
   */
  | 'EVENT_TYPE_INPUT'
  | 14
  /**
   * What the page measured of its own browser over the batch, closing it; counts, never key values
   * (state: "webdriver" when navigator.webdriver is true; "headless" when the user agent says
   * HeadlessChrome; "case:M/N" when M of the N letters checked
   * had a case their Shift state contradicts; "centre:M/N" when M of the N presses on a control
   * landed within a pixel of its centre).
   */
  | 'EVENT_TYPE_ENVIRONMENT'
  | 15

export type EventType = typeof EventType[keyof typeof EventType]
