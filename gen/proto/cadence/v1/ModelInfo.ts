// Original file: proto/cadence/v1/models.proto

import type { ModelKindInit as _cadence_v1_ModelKindInit, ModelKind as _cadence_v1_ModelKind } from '../../cadence/v1/ModelKind';
import type { Long } from '@grpc/proto-loader';

export interface ModelInfoInit {
  'id'?: (string);
  'kind'?: (_cadence_v1_ModelKindInit);
  /**
   * "global" or a user id.
   */
  'scope'?: (string);
  /**
   * Semantic version: major = feature schema, minor = training number within the scope.
   */
  'version'?: (string);
  /**
   * sha256 of the binary (hex); the ETag of GET /v1/models/<id>.
   */
  'sha256'?: (string);
  'featureSchema'?: (string)[];
  /**
   * Training metrics on held-back data: eer, auc, frr_at_monitor, trained_windows, ... (absent when not measurable).
   */
  'metrics'?: ({[key: string]: number | string});
  'trainedAtMs'?: (number | string | Long);
  'active'?: (boolean);
  'activatedAtMs'?: (number | string | Long);
  'sizeBytes'?: (number);
  /**
   * Activated by an operator (Activate, Rollback): automatic retraining leaves the scope alone
   * until Train or Retrain, whose new version is active and not pinned.
   */
  'pinned'?: (boolean);
}

export interface ModelInfo {
  'id': (string);
  'kind': (_cadence_v1_ModelKind);
  /**
   * "global" or a user id.
   */
  'scope': (string);
  /**
   * Semantic version: major = feature schema, minor = training number within the scope.
   */
  'version': (string);
  /**
   * sha256 of the binary (hex); the ETag of GET /v1/models/<id>.
   */
  'sha256': (string);
  'featureSchema': (string)[];
  /**
   * Training metrics on held-back data: eer, auc, frr_at_monitor, trained_windows, ... (absent when not measurable).
   */
  'metrics': ({[key: string]: number});
  'trainedAtMs': (number);
  'active': (boolean);
  'activatedAtMs': (number);
  'sizeBytes': (number);
  /**
   * Activated by an operator (Activate, Rollback): automatic retraining leaves the scope alone
   * until Train or Retrain, whose new version is active and not pinned.
   */
  'pinned': (boolean);
}
