// Open-loop load at a fixed rate, as wrk2 does it. Request i is due at start + i / rate and is sent
// then whether or not earlier ones have answered, and its latency runs from when it was due, not
// from when it went out: a stall on either side is charged to every request it holds up (no
// "coordinated omission"). autocannon's own `overallRate` is closed-loop and sends each second's
// quota back to back, so it measures a burst, not a steady rate; it stays in use for throughput.
import http from 'node:http';

export interface PacedResult {
  rate: number;
  seconds: number;
  sent: number;
  ok: number;
  failed: number;
  p50_ms: number;
  p90_ms: number;
  p99_ms: number;
  p999_ms: number;
  max_ms: number;
  /** Most requests outstanding at once: well below rate x latency means the generator kept up. */
  max_in_flight: number;
  /** The first few failures, to explain them. */
  samples: string[];
  /** Latency of request i (ms, from when it was due), for splitting interleaved kinds of request. */
  perRequest: Float64Array;
}

/** p50/p90/p99/p99.9 and the largest (ms) of some latencies. */
export function percentiles(values: ArrayLike<number>): { p50_ms: number; p90_ms: number; p99_ms: number; p999_ms: number; max_ms: number } {
  const sorted = Float64Array.from(values).sort();
  const q = (p: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!);
  return { p50_ms: q(0.5), p90_ms: q(0.9), p99_ms: q(0.99), p999_ms: q(0.999), max_ms: round(sorted[sorted.length - 1]!) };
}

const round = (v: number) => Math.round(v * 100) / 100;

/** Sends `rate * seconds` requests at a steady `rate`; `send` resolves true for a good answer. */
export async function paced(send: (i: number) => Promise<true | string>, opts: { rate: number; seconds: number }): Promise<PacedResult> {
  const total = Math.max(1, Math.round(opts.rate * opts.seconds));
  const interval = 1000 / opts.rate;
  const perRequest = new Float64Array(total);
  const samples: string[] = [];
  const pending = new Set<Promise<void>>();
  let ok = 0;
  let failed = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const start = performance.now() + 5;
  const launch = (i: number) => {
    const due = start + i * interval;
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const p = send(i)
      .then(
        (r) => r,
        (e: unknown) => String((e as Error)?.message ?? e),
      )
      .then((r) => {
        perRequest[i] = performance.now() - due;
        if (r === true) ok++;
        else {
          failed++;
          if (samples.length < 3) samples.push(r.slice(0, 160));
        }
        inFlight--;
        pending.delete(p);
      });
    pending.add(p);
  };
  let next = 0;
  while (next < total) {
    const now = performance.now();
    while (next < total && start + next * interval <= now) launch(next++);
    if (next < total) await new Promise((r) => setTimeout(r, Math.max(0, start + next * interval - performance.now())));
  }
  await Promise.all(pending);
  return {
    rate: opts.rate,
    seconds: opts.seconds,
    sent: total,
    ok,
    failed,
    ...percentiles(perRequest),
    max_in_flight: maxInFlight,
    samples,
    perRequest,
  };
}

/** A keep-alive HTTP client for `paced`: GET, or POST a JSON body; reads the whole answer; 200 is good. */
export function jsonPoster(baseUrl: string, timeoutMs = 10_000) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const url = new URL(baseUrl);
  const send = (method: 'GET' | 'POST', pathname: string, body?: string, extra: Record<string, string> = {}) =>
    new Promise<true | string>((resolve, reject) => {
      const headers = body === undefined ? extra : { ...extra, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
      const req = http.request(
        { agent, host: url.hostname, port: url.port, path: pathname, method, headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(res.statusCode === 200 ? true : `${res.statusCode} ${Buffer.concat(chunks).toString('utf8')}`));
          res.on('error', reject);
        },
      );
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  return { post: (pathname: string, body: string, headers?: Record<string, string>) => send('POST', pathname, body, headers), get: (pathname: string) => send('GET', pathname), close: () => agent.destroy() };
}
