// Which model pair /predict scores with: the registry's active 'offchain-pair' (scope global),
// decoded and uploaded to the WASM kernels once per version. A core whose registry has no pair yet
// registers the bundled default (trained by `cadence train offchain --out`, core/offchain/
// default-pair.json) as its first version, so activation and rollback work from the start.
// Requests never wait for the registry: the active row is re-read at most once a second (and at
// once after Activate or Rollback in this core), while the loaded pair keeps answering.
import { createHash } from 'node:crypto';
import { decodePair, pairScorer, type OffchainPair, type PairScorer } from '../../scoring/offchain/pair.ts';
import { PAIR_INPUTS } from '../../scoring/offchain/inputs.ts';
import type { Kernels } from '../../wasm/kernels.ts';
import type { Logger } from '../log.ts';
import { GLOBAL_SCOPE, type ModelRegistry, type ModelRow } from '../models/registry.ts';

export const OFFCHAIN_PAIR_KIND = 'offchain-pair' as const;
const RECHECK_MS = 1000;

export interface LoadedPair {
  row: ModelRow;
  pair: OffchainPair;
  scorer: PairScorer;
  /** What the signed result names: `offchain-pair/<version>/<id>` and the registry's sha256. */
  modelVersion: string;
  modelSha256: Uint8Array;
}

/**
 * The bundled default's bytes, checked against the sha256 written beside them. Imported only when
 * needed (a registry without a pair): parsing its 65 KB at every start slowed restarts.
 */
export async function bundledPair(): Promise<Uint8Array> {
  const { default: bundled } = await import('./default-pair.json', { with: { type: 'json' } });
  const bytes = new Uint8Array(Buffer.from(bundled.base64, 'base64'));
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (sha !== bundled.sha256) throw new Error(`core/offchain/default-pair.json is corrupt: sha256 ${sha}, expected ${bundled.sha256}`);
  return bytes;
}

/** Stores a trained pair file as a new active version (training metrics beside it). */
export function storePair(registry: ModelRegistry, binary: Uint8Array, metrics: Record<string, number | null>): Promise<ModelRow> {
  return registry.add({ kind: OFFCHAIN_PAIR_KIND, scope: GLOBAL_SCOPE, binary, featureSchema: [...PAIR_INPUTS], metrics, state: {} });
}

export function createPairModels(deps: { registry: ModelRegistry; kernels: Pick<Kernels, 'loadMlp'>; log: Logger }) {
  let loaded: LoadedPair | undefined;
  let checkedAt = Number.NEGATIVE_INFINITY;
  let refreshing: Promise<LoadedPair> | undefined;
  let stale = false;

  async function load(row: ModelRow): Promise<LoadedPair> {
    const pair = await decodePair(new Uint8Array(row.binary));
    const sha = createHash('sha256').update(row.binary).digest('hex');
    if (sha !== row.sha256) throw new Error(`off-chain model ${row.version} does not match its sha256`);
    return { row, pair, scorer: pairScorer(pair, deps.kernels), modelVersion: `${OFFCHAIN_PAIR_KIND}/${row.version}/${row.id}`, modelSha256: Buffer.from(row.sha256, 'hex') };
  }

  async function refresh(): Promise<LoadedPair> {
    let row = await deps.registry.active(OFFCHAIN_PAIR_KIND, GLOBAL_SCOPE);
    if (!row) {
      const any = await deps.registry.list({ kind: OFFCHAIN_PAIR_KIND, scope: GLOBAL_SCOPE, limit: 1 });
      if (any.length === 0) {
        // Another core may register it at the same moment: the loser's insert fails on the version index.
        await storePair(deps.registry, await bundledPair(), { bundled: 1 }).catch((err: unknown) => deps.log.warn('registering the bundled off-chain model failed', { err }));
      }
      row = await deps.registry.active(OFFCHAIN_PAIR_KIND, GLOBAL_SCOPE);
      if (!row) throw new Error('no off-chain model pair is active: activate one (ModelService.Activate) or train one (npx cadence train offchain)');
    }
    checkedAt = performance.now();
    if (loaded?.row.id === row.id) return loaded;
    const next = await load(row);
    loaded?.scorer.dispose();
    loaded = next;
    return next;
  }

  const refreshOnce = () =>
    (refreshing ??= refresh().finally(() => {
      refreshing = undefined;
    }));

  return {
    /** The active pair; waits only for the first load. */
    async current(): Promise<LoadedPair> {
      if (!loaded || stale) {
        stale = false;
        return refreshOnce();
      }
      if (performance.now() - checkedAt > RECHECK_MS) refreshOnce().catch((err: unknown) => deps.log.warn('re-reading the active off-chain model failed', { err }));
      return loaded;
    },
    /** The active version changed in this core (Activate, Rollback): re-read on the next request. */
    changed(): void {
      stale = true;
    },
    /** Loads (or registers) the pair now, so the first request does not pay for it. */
    ready: () => refreshOnce(),
  };
}

export type PairModels = ReturnType<typeof createPairModels>;
