// Original file: proto/cadence/v1/models.proto

export const ModelKind = {
  MODEL_KIND_UNSPECIFIED: 'MODEL_KIND_UNSPECIFIED',
  /**
   * One user's fused keystroke detector; the binary is its isolation forest (slog features).
   */
  MODEL_KIND_USER_KEYSTROKE: 'MODEL_KIND_USER_KEYSTROKE',
  /**
   * An isolation forest over the enrolment windows of every user (scope "global").
   */
  MODEL_KIND_POPULATION_KEYSTROKE_FOREST: 'MODEL_KIND_POPULATION_KEYSTROKE_FOREST',
  /**
   * The supervised session model (random forest over seed 004's session records, scope "global").
   */
  MODEL_KIND_SESSION_FOREST: 'MODEL_KIND_SESSION_FOREST',
  /**
   * Seed 003's off-chain model pair (MLP classifier + autoencoder, scope "global"); the binary is
   * the pair file of scoring/offchain/pair.ts (both model-format files and their calibration).
   */
  MODEL_KIND_OFFCHAIN_PAIR: 'MODEL_KIND_OFFCHAIN_PAIR',
  /**
   * One user's fused pointer detector over their 3-s windows' mean mouse action (issue 18); the
   * binary is its isolation forest (slog features). Used by the core only: edges fetch keystroke.
   */
  MODEL_KIND_USER_POINTER: 'MODEL_KIND_USER_POINTER',
} as const;

export type ModelKindInit =
  | 'MODEL_KIND_UNSPECIFIED'
  | 0
  /**
   * One user's fused keystroke detector; the binary is its isolation forest (slog features).
   */
  | 'MODEL_KIND_USER_KEYSTROKE'
  | 1
  /**
   * An isolation forest over the enrolment windows of every user (scope "global").
   */
  | 'MODEL_KIND_POPULATION_KEYSTROKE_FOREST'
  | 2
  /**
   * The supervised session model (random forest over seed 004's session records, scope "global").
   */
  | 'MODEL_KIND_SESSION_FOREST'
  | 3
  /**
   * Seed 003's off-chain model pair (MLP classifier + autoencoder, scope "global"); the binary is
   * the pair file of scoring/offchain/pair.ts (both model-format files and their calibration).
   */
  | 'MODEL_KIND_OFFCHAIN_PAIR'
  | 4
  /**
   * One user's fused pointer detector over their 3-s windows' mean mouse action (issue 18); the
   * binary is its isolation forest (slog features). Used by the core only: edges fetch keystroke.
   */
  | 'MODEL_KIND_USER_POINTER'
  | 5

export type ModelKind = typeof ModelKind[keyof typeof ModelKind]
