// Users' own models at the edge: pulled from the core (GET /v1/models/active/<user>, revalidated
// with ETag), checked (the HTTP sha256 and the model format's own sha256 and feature schema)
// before use, kept in an LRU bounded in bytes and count, and kept serving as the last good model
// when the core is away or sends something broken. Never blocks a request on the network for
// more than a short first-load budget.
import { parseModel, type Model } from '../wasm/model-format.ts';
import type { ForestKernel, Kernels } from '../wasm/kernels.ts';
import { USER_FOREST_SCHEMA, type ForestCalibration } from '../scoring/user-model.ts';

export interface UserModel {
  id: string;
  version: string;
  sha256: string;
  calibration: ForestCalibration;
  forest: ForestKernel;
  bytes: number;
}

interface Entry {
  model?: UserModel;
  /** When the core was last asked (successfully or not). */
  checkedAt: number;
  refreshing?: Promise<void>;
}

export interface ModelCacheOptions {
  coreUrls: readonly string[];
  kernels: Kernels;
  /** The core's service API key (x-api-key), when it requires one. */
  apiKey?: string;
  fetch?: typeof fetch;
  now?: () => number;
  /** How long a model (or the core's "no model") is trusted before revalidation. */
  ttlMs?: number;
  maxBytes?: number;
  maxEntries?: number;
  /** How long a request may wait for a user's first download. */
  firstLoadBudgetMs?: number;
  log?: (msg: string, fields: Record<string, unknown>) => void;
}

const hex = (buf: ArrayBuffer) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');

export class ModelCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private next = 0;
  private readonly o: Required<Omit<ModelCacheOptions, 'fetch' | 'log' | 'apiKey'>> & Pick<ModelCacheOptions, 'fetch' | 'log' | 'apiKey'>;

  constructor(options: ModelCacheOptions) {
    this.o = {
      ...options,
      now: options.now ?? Date.now,
      ttlMs: options.ttlMs ?? 60_000,
      maxBytes: options.maxBytes ?? 16 << 20,
      maxEntries: options.maxEntries ?? 1000,
      firstLoadBudgetMs: options.firstLoadBudgetMs ?? 150,
    };
  }

  /**
   * The user's model if one is known: revalidates a stale one in the background (`background`
   * keeps the work alive on workerd), and waits at most the first-load budget for a new user.
   */
  async get(userId: string, background: (p: Promise<unknown>) => void = () => undefined): Promise<UserModel | undefined> {
    const known = this.entries.get(userId);
    if (known) {
      this.entries.delete(userId); // most recently used last
      this.entries.set(userId, known);
    }
    const entry = known ?? this.remember(userId, { checkedAt: 0 });
    if (this.o.now() - entry.checkedAt >= this.o.ttlMs) {
      const refresh = (entry.refreshing ??= this.refresh(userId, entry).finally(() => {
        entry.refreshing = undefined;
      }));
      background(refresh);
      if (!entry.model && entry.checkedAt === 0) {
        await Promise.race([refresh, new Promise((r) => setTimeout(r, this.o.firstLoadBudgetMs))]);
      }
    }
    return entry.model;
  }

  stats(): { users: number; models: number; bytes: number } {
    let models = 0;
    for (const e of this.entries.values()) if (e.model) models++;
    return { users: this.entries.size, models, bytes: this.bytes };
  }

  private remember(userId: string, entry: Entry): Entry {
    this.entries.set(userId, entry);
    this.evict();
    return entry;
  }

  private async refresh(userId: string, entry: Entry): Promise<void> {
    const base = this.o.coreUrls[this.next++ % this.o.coreUrls.length]!;
    const url = `${base}/v1/models/active/${encodeURIComponent(userId)}?kind=user-keystroke`;
    try {
      const res = await (this.o.fetch ?? fetch)(url, {
        headers: { ...(entry.model ? { 'if-none-match': `"${entry.model.sha256}"` } : {}), ...(this.o.apiKey ? { 'x-api-key': this.o.apiKey } : {}) },
        signal: AbortSignal.timeout(3000),
      });
      if (res.status === 304) {
        entry.checkedAt = this.o.now();
        return;
      }
      if (res.status === 404) {
        // The user has no model (yet, or any more: their data may have been deleted).
        await res.body?.cancel();
        this.drop(entry);
        entry.checkedAt = this.o.now();
        return;
      }
      if (!res.ok) throw new Error(`core answered ${res.status}`);
      const bytes = new Uint8Array(await res.arrayBuffer());
      const model = await this.verify(res, bytes);
      const forest = this.o.kernels.loadForest(model.decoded as Parameters<Kernels['loadForest']>[0]);
      this.drop(entry);
      entry.model = { id: model.id, version: model.version, sha256: model.sha256, calibration: model.calibration, forest, bytes: bytes.length };
      this.bytes += bytes.length;
      entry.checkedAt = this.o.now();
      this.evict();
    } catch (err) {
      // Keep the last good model; ask again after a short while rather than on every request.
      entry.checkedAt = this.o.now() - this.o.ttlMs + Math.min(this.o.ttlMs, 5000);
      this.o.log?.('model refresh failed; keeping the last good model', { userId, error: (err as Error).message, kept: entry.model?.version ?? null });
    }
  }

  private async verify(res: Response, bytes: Uint8Array): Promise<{ id: string; version: string; sha256: string; calibration: ForestCalibration; decoded: Model }> {
    const sha256 = hex(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
    const announced = res.headers.get('x-cadence-model-sha256');
    if (announced !== sha256) throw new Error(`model bytes do not match their sha256 (${announced} announced, ${sha256} received)`);
    const parsed = await parseModel(bytes, { schema: USER_FOREST_SCHEMA, kind: 'iforest' });
    if (!parsed.ok) throw new Error(`model refused: ${parsed.error.message}`);
    const [mid, edge] = (res.headers.get('x-cadence-calibration') ?? '').split(',').map(Number);
    if (!Number.isFinite(mid) || !Number.isFinite(edge) || edge! <= mid!) throw new Error('model has no usable x-cadence-calibration');
    return {
      id: res.headers.get('x-cadence-model-id') ?? '',
      version: res.headers.get('x-cadence-model-version') ?? '?',
      sha256,
      calibration: { mid: mid!, edge: edge! },
      decoded: parsed.model,
    };
  }

  private drop(entry: Entry): void {
    if (!entry.model) return;
    entry.model.forest.dispose();
    this.bytes -= entry.model.bytes;
    entry.model = undefined;
  }

  private evict(): void {
    for (const [userId, entry] of this.entries) {
      if (this.bytes <= this.o.maxBytes && this.entries.size <= this.o.maxEntries) return;
      if (entry.refreshing) continue;
      this.drop(entry);
      this.entries.delete(userId);
    }
  }
}
