// Original file: proto/cadence/v1/events.proto

import type { ScreenInit as _cadence_v1_ScreenInit, Screen as _cadence_v1_Screen } from '../../cadence/v1/Screen';

export interface BatchContextInit {
  'page'?: (string);
  'deviceId'?: (string);
  'language'?: (string);
  'screen'?: (_cadence_v1_ScreenInit | null);
}

export interface BatchContext {
  'page': (string);
  'deviceId': (string);
  'language': (string);
  'screen': (_cadence_v1_Screen | null);
}
