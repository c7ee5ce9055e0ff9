// A simulated Substrate off-chain worker: calls POST /predict with a 2 s deadline (twice, as a worker
// that runs again for the same block would), verifies the ed25519 signature against the key it
// trusts, and prints the payload it would submit on chain. `npx cadence bench offchain-worker`
// starts its own core; `--url URL --api-key KEY` uses a running one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startCore } from '../cli/processes.ts';
import { verifyPrediction } from '../core/offchain/verify.ts';

const DEADLINE_MS = 2000;

async function predict(url: string, apiKey: string, body: unknown) {
  const started = performance.now();
  const res = await fetch(`${url}/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(DEADLINE_MS), // the worker's HTTP deadline
  });
  const json = (await res.json()) as any;
  if (!res.ok) throw new Error(`/predict answered ${res.status}: ${JSON.stringify(json)}`);
  return { json, ms: performance.now() - started };
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string' },
      'api-key': { type: 'string', default: 'offchain-worker-demo-key' },
      did: { type: 'string', default: '0x742d35Cc6634C0532925a3b844Bc9e7595f0bEb' },
      'trusted-key': { type: 'string' },
    },
  });
  const apiKey = values['api-key']!;
  let dir: string | undefined;
  let core: Awaited<ReturnType<typeof startCore>> | undefined;
  let url = values.url;
  if (!url) {
    dir = mkdtempSync(path.join(tmpdir(), 'cadence-ocw-'));
    core = await startCore({ CADENCE_DB_URL: `file:${path.join(dir, 'core.db')}`, CADENCE_GRPC_PORT: '0', CADENCE_HTTP_PORT: '0', CADENCE_LOG_LEVEL: 'warn', CADENCE_OFFCHAIN_API_KEYS: `ocw:${apiKey}`, CADENCE_OFFCHAIN_KEY_DIDS: 'ocw=*' });
    url = core.httpUrl;
  }
  try {
    // On chain the service's key is registered once (e.g. by governance); here /health stands in.
    const trusted = values['trusted-key'] ?? ((await (await fetch(`${url}/health`, { signal: AbortSignal.timeout(DEADLINE_MS) })).json()) as any).public_key;
    const request = {
      did: values.did,
      features: { typing_speed_wpm: 65, avg_key_hold_time_ms: 120, avg_transition_time_ms: 85, error_rate_percent: 2, activity_hour_preference: 14 },
      historical_patterns: [{ typing_speed_wpm: 63, avg_key_hold_time_ms: 118, avg_transition_time_ms: 87, error_rate_percent: 3, timestamp: 1704067200 }],
    };
    const first = await predict(url, apiKey, request);
    const second = await predict(url, apiKey, request); // the same block processed again
    for (const r of [first, second]) {
      const v = verifyPrediction(r.json, trusted);
      if (!v.ok) throw new Error(`signature rejected: ${v.reason}`);
    }
    if (second.json.signature !== first.json.signature) throw new Error('a repeated request got a different signed result');
    const p = first.json;
    process.stderr.write(`predict: ${first.ms.toFixed(1)} ms (repeat ${second.ms.toFixed(1)} ms, replayed=${second.json.replayed}); signature verified against ${trusted}\n`);
    // What the worker submits: the signed fields and the signature; the pallet rebuilds the SCALE bytes and checks them.
    const submission = {
      call: 'cadenceScores.submit_score',
      did: p.did,
      confidence_score: p.confidence_score,
      anomaly_ppm: p.anomaly_ppm,
      baseline: p.baseline,
      model_version: p.model_version,
      model_sha256: p.model_sha256,
      request_sha256: p.request_sha256,
      issued_at: p.issued_at,
      signature: p.signature,
      public_key: p.public_key,
      scale_payload: p.signed_message,
    };
    process.stdout.write(`${JSON.stringify(submission, null, 2)}\n`);
    return 0;
  } finally {
    await core?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) run(process.argv.slice(2)).then((c) => process.exit(c));
