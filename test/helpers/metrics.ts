// Reads a core's Prometheus metrics: how many IngestBatch and IngestBatches calls it answered OK since it started.
import type { CoreProcess } from '../../cli/processes.ts';

export async function ingestedOk(core: Pick<CoreProcess, 'httpUrl'>): Promise<number> {
  const text = await (await fetch(`${core.httpUrl}/metrics`)).text();
  return [...text.matchAll(/^cadence_rpc_requests_total\{[^}]*method="IngestBatch(?:es)?"[^}]*code="OK"[^}]*\} (\d+)/gm)].reduce((s, m) => s + Number(m[1]), 0);
}
