// Builds the off-chain endpoint from the core's parts: storage, its signing key, seed 003's model
// pair and the service; core/app.ts registers the service and adds its HTTP routes.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { Kernels } from '../../wasm/kernels.ts';
import type { CoreConfig } from '../config.ts';
import type { Logger } from '../log.ts';
import { createOffchainKeys } from './keys.ts';
import type { ModelRegistry } from '../models/registry.ts';
import { createPairModels } from './pair-model.ts';
import { offchainService } from './service.ts';
import { createOffchainStore } from './store.ts';

export { addOffchainRoutes, nodePredictRoute } from './http.ts';

export function createOffchain(config: CoreConfig, deps: { db: Db; kernels: Kernels; registry: ModelRegistry; log: Logger; now: () => number }) {
  const oc = config.offchain;
  if (!oc.apiKeys?.length) {
    deps.log.warn(
      oc.openEnrolment
        ? 'the off-chain endpoint /predict is open and anyone may write any DID\'s history (CADENCE_OFFCHAIN_OPEN_ENROLMENT): set CADENCE_OFFCHAIN_API_KEYS and CADENCE_OFFCHAIN_KEY_DIDS'
        : 'the off-chain endpoint /predict is open, read-only (no DID history is written): set CADENCE_OFFCHAIN_API_KEYS to require API keys, CADENCE_OFFCHAIN_KEY_DIDS to bind keys to DIDs',
    );
  } else if (!oc.keyDids?.size) deps.log.warn('no off-chain API key is bound to a DID (CADENCE_OFFCHAIN_KEY_DIDS): /predict scores read-only and no DID history is written');
  const keys = createOffchainKeys(deps.db, {
    secret: config.identity.keySecret,
    now: deps.now,
    onPlaintextKey: () => deps.log.warn('the off-chain signing key is stored unencrypted: set CADENCE_KEY_SECRET to encrypt it'),
  });
  // Load or create the key at start so the first request does not pay for it; errors resurface on use.
  keys.ready().catch((err: unknown) => deps.log.error('off-chain signing key unavailable', { err }));
  // Seed 003's model pair from the registry (the bundled default on a fresh database), loaded at start.
  const pairs = createPairModels({ registry: deps.registry, kernels: deps.kernels, log: deps.log });
  pairs.ready().catch((err: unknown) => deps.log.error('off-chain model pair unavailable', { err }));
  const service = offchainService({
    config: oc,
    store: createOffchainStore(deps.db, { maxHistory: oc.maxHistory }),
    keys,
    pairs,
    log: deps.log,
    now: deps.now,
    dbReady: () => deps.db.run(sql`select 1`).then(() => true, () => false),
  });
  return { ...service, pairs };
}
