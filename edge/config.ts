// The edge's configuration, from Worker vars or process.env alike, parsed once into a typed object.
import { z } from 'zod';

export const edgeConfigSchema = z.object({
  coreUrl: z.string().url().default('http://127.0.0.1:8080'),
  /** Largest event batch body the edge reads, in bytes. */
  maxBodyBytes: z.coerce.number().int().min(1024).max(1 << 20).default(64 * 1024),
  /** How long the edge waits for the core before telling the collector to retry. */
  coreTimeoutMs: z.coerce.number().int().min(50).max(60_000).default(3000),
});

export type EdgeConfig = z.infer<typeof edgeConfigSchema>;

export function parseEdgeConfig(env: Record<string, unknown>): EdgeConfig {
  const result = edgeConfigSchema.safeParse({
    coreUrl: env.CADENCE_CORE_URL || undefined,
    maxBodyBytes: env.CADENCE_EDGE_MAX_BODY_BYTES || undefined,
    coreTimeoutMs: env.CADENCE_CORE_TIMEOUT_MS || undefined,
  });
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new Error(`invalid edge configuration: ${String(issue.path[0])}: ${issue.message}`);
  }
  return result.data;
}
