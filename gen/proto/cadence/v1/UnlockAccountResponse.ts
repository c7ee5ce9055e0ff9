// Original file: proto/cadence/v1/admin.proto

import type { Long } from '@grpc/proto-loader';

export interface UnlockAccountResponseInit {
  /**
   * False when the account was not locked (nothing changed, nothing recorded).
   */
  'unlocked'?: (boolean);
  /**
   * When it had been locked (0 when it was not).
   */
  'lockedAtMs'?: (number | string | Long);
}

export interface UnlockAccountResponse {
  /**
   * False when the account was not locked (nothing changed, nothing recorded).
   */
  'unlocked': (boolean);
  /**
   * When it had been locked (0 when it was not).
   */
  'lockedAtMs': (number);
}
