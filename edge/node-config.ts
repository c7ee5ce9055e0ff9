// What only the Node edge reads from its environment (the listening address and the spool); the
// rest of the edge's configuration is edge/config.ts, shared with workerd.
import { z } from 'zod';

const blankIsUnset = (v: unknown) => (v === '' ? undefined : v);

export const nodeEdgeEnvSchema = z.object({
  PORT: z.preprocess(blankIsUnset, z.coerce.number().int().min(0).max(65535).default(8787)).describe('port the Node edge listens on (0 picks a free one; `cadence start` sets it from `--edge-port`)'),
  HOST: z.preprocess(blankIsUnset, z.string().default('127.0.0.1')).describe('address the Node edge binds to'),
  CADENCE_SPOOL_URL: z.preprocess(blankIsUnset, z.string().default('file:./data/edge-spool.db')).describe("libSQL URL of the edge's durable spool (accepted batches wait here until the core has them)"),
  CADENCE_SPOOL_SYNC: z
    .preprocess(blankIsUnset, z.enum(['normal', 'full']).default('normal'))
    .describe('`normal`: an accepted batch survives a crash of the process; `full`: also a power loss, at an fsync per batch'),
});

export type NodeEdgeEnv = z.infer<typeof nodeEdgeEnvSchema>;

export function parseNodeEdgeEnv(env: Record<string, string | undefined>): NodeEdgeEnv {
  const result = nodeEdgeEnvSchema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new Error(`invalid edge configuration: ${String(issue.path[0])}: ${issue.message}`);
  }
  return result.data;
}
