// Original file: proto/cadence/v1/offchain.proto

import type { FeatureImportanceInit as _cadence_v1_FeatureImportanceInit, FeatureImportance as _cadence_v1_FeatureImportance } from '../../cadence/v1/FeatureImportance';
import type { BaselineInit as _cadence_v1_BaselineInit, Baseline as _cadence_v1_Baseline } from '../../cadence/v1/Baseline';
import type { Long } from '@grpc/proto-loader';

/**
 * Result format 2: every field but the envelope (signature, public_key, signed_message, replayed)
 * is inside the signed SCALE payload (domain "cadence:predict2"; core/offchain/encoding.ts).
 */
export interface PredictResponseInit {
  /**
   * 0-100, round(100 * (1 - anomaly_score))
   */
  'confidenceScore'?: (number);
  /**
   * [0, 1], 6 decimals (exactly anomaly_ppm / 1e6)
   */
  'anomalyScore'?: (number | string);
  'featureImportance'?: (_cadence_v1_FeatureImportanceInit | null);
  'modelVersion'?: (string);
  /**
   * 3 decimals (signed as microseconds)
   */
  'inferenceTimeMs'?: (number | string);
  'did'?: (string);
  'baseline'?: (_cadence_v1_BaselineInit);
  /**
   * windows the baseline was fitted on (0 for population)
   */
  'baselineWindows'?: (number);
  /**
   * e.g. "transition_time_high"
   */
  'reasons'?: (string)[];
  /**
   * 0x + 64 hex
   */
  'modelSha256'?: (string);
  /**
   * 0x + 64 hex, sha256 of the request's canonical JSON
   */
  'requestSha256'?: (string);
  /**
   * Unix ms
   */
  'issuedAt'?: (number | string | Long);
  /**
   * 0x + 128 hex, ed25519 over signed_message
   */
  'signature'?: (string);
  /**
   * 0x + 64 hex, raw ed25519 public key
   */
  'publicKey'?: (string);
  /**
   * 0x + hex of the payload bytes (rebuild it, do not trust it)
   */
  'signedMessage'?: (string);
  /**
   * true when this is a stored result returned again (idempotency)
   */
  'replayed'?: (boolean);
  /**
   * anomaly_score in millionths, as signed
   */
  'anomalyPpm'?: (number);
  /**
   * 2; a result without it is format 1 (reasons, feature_importance, baseline_windows unsigned)
   */
  'formatVersion'?: (number);
  /**
   * whether this session is in the DID's stored history after the call
   */
  'enrolled'?: (boolean);
  /**
   * Why (not): "enrolled", "already_enrolled", "risky", "not_finite", "not_bound" (the API key is not
   * bound to this DID: scored read-only), "open_read_only" (no API keys configured: nothing is written).
   */
  'enrolment'?: (string);
}

/**
 * Result format 2: every field but the envelope (signature, public_key, signed_message, replayed)
 * is inside the signed SCALE payload (domain "cadence:predict2"; core/offchain/encoding.ts).
 */
export interface PredictResponse {
  /**
   * 0-100, round(100 * (1 - anomaly_score))
   */
  'confidenceScore': (number);
  /**
   * [0, 1], 6 decimals (exactly anomaly_ppm / 1e6)
   */
  'anomalyScore': (number);
  'featureImportance': (_cadence_v1_FeatureImportance | null);
  'modelVersion': (string);
  /**
   * 3 decimals (signed as microseconds)
   */
  'inferenceTimeMs': (number);
  'did': (string);
  'baseline': (_cadence_v1_Baseline);
  /**
   * windows the baseline was fitted on (0 for population)
   */
  'baselineWindows': (number);
  /**
   * e.g. "transition_time_high"
   */
  'reasons': (string)[];
  /**
   * 0x + 64 hex
   */
  'modelSha256': (string);
  /**
   * 0x + 64 hex, sha256 of the request's canonical JSON
   */
  'requestSha256': (string);
  /**
   * Unix ms
   */
  'issuedAt': (number);
  /**
   * 0x + 128 hex, ed25519 over signed_message
   */
  'signature': (string);
  /**
   * 0x + 64 hex, raw ed25519 public key
   */
  'publicKey': (string);
  /**
   * 0x + hex of the payload bytes (rebuild it, do not trust it)
   */
  'signedMessage': (string);
  /**
   * true when this is a stored result returned again (idempotency)
   */
  'replayed': (boolean);
  /**
   * anomaly_score in millionths, as signed
   */
  'anomalyPpm': (number);
  /**
   * 2; a result without it is format 1 (reasons, feature_importance, baseline_windows unsigned)
   */
  'formatVersion': (number);
  /**
   * whether this session is in the DID's stored history after the call
   */
  'enrolled': (boolean);
  /**
   * Why (not): "enrolled", "already_enrolled", "risky", "not_finite", "not_bound" (the API key is not
   * bound to this DID: scored read-only), "open_read_only" (no API keys configured: nothing is written).
   */
  'enrolment': (string);
}
