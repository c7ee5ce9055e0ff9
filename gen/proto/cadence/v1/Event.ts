// Original file: proto/cadence/v1/events.proto

import type { EventTypeInit as _cadence_v1_EventTypeInit, EventType as _cadence_v1_EventType } from '../../cadence/v1/EventType';
import type { KeyClassInit as _cadence_v1_KeyClassInit, KeyClass as _cadence_v1_KeyClass } from '../../cadence/v1/KeyClass';

export interface EventInit {
  'type'?: (_cadence_v1_EventTypeInit);
  /**
   * Milliseconds on the page's monotonic clock (performance.now()); non-decreasing within a batch.
   */
  't'?: (number | string);
  /**
   * Key events.
   */
  'keyClass'?: (_cadence_v1_KeyClassInit);
  /**
   * id of the input field, never its content
   */
  'field'?: (string);
  /**
   * caret position within the field
   */
  'position'?: (number);
  /**
   * Pointer, touch and wheel events.
   */
  'x'?: (number | string);
  'y'?: (number | string);
  'dx'?: (number | string);
  'dy'?: (number | string);
  'button'?: (number);
  'pressure'?: (number | string);
  /**
   * mouse, pen or touch
   */
  'pointerType'?: (string);
  /**
   * Navigation and visibility events.
   */
  'state'?: (string);
  '_position'?: "position";
  '_x'?: "x";
  '_y'?: "y";
  '_dx'?: "dx";
  '_dy'?: "dy";
  '_button'?: "button";
  '_pressure'?: "pressure";
}

export interface Event {
  'type': (_cadence_v1_EventType);
  /**
   * Milliseconds on the page's monotonic clock (performance.now()); non-decreasing within a batch.
   */
  't': (number);
  /**
   * Key events.
   */
  'keyClass': (_cadence_v1_KeyClass);
  /**
   * id of the input field, never its content
   */
  'field': (string);
  /**
   * caret position within the field
   */
  'position'?: (number);
  /**
   * Pointer, touch and wheel events.
   */
  'x'?: (number);
  'y'?: (number);
  'dx'?: (number);
  'dy'?: (number);
  'button'?: (number);
  'pressure'?: (number);
  /**
   * mouse, pen or touch
   */
  'pointerType': (string);
  /**
   * Navigation and visibility events.
   */
  'state': (string);
  '_position'?: "position";
  '_x'?: "x";
  '_y'?: "y";
  '_dx'?: "dx";
  '_dy'?: "dy";
  '_button'?: "button";
  '_pressure'?: "pressure";
}
