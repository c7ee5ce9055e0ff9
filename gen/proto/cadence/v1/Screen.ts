// Original file: proto/cadence/v1/events.proto


export interface ScreenInit {
  'width'?: (number);
  'height'?: (number);
}

export interface Screen {
  'width': (number);
  'height': (number);
}
