// What `cadence start` (the supervisor) and its watchdog read from the environment; the core's and
// the edge's own variables are core/config.ts and edge/config.ts.
import { z } from 'zod';

const blankIsUnset = (v: unknown) => (v === '' ? undefined : v);

export const supervisorEnvSchema = z.object({
  CADENCE_LOG_DIR: z.preprocess(blankIsUnset, z.string().default('data/logs')).describe('where `cadence start` writes core.log, edge.log and supervisor.log (mode 0600), relative to the repository'),
  CADENCE_LOG_MAX_BYTES: z.preprocess(blankIsUnset, z.coerce.number().int().min(1024).default(10 << 20)).describe('size in bytes at which a log file is rotated'),
  CADENCE_LOG_FILES: z.preprocess(blankIsUnset, z.coerce.number().int().min(1).max(100).default(5)).describe('rotated files kept per log'),
  CADENCE_WATCHDOG_GRACE_MS: z
    .preprocess(blankIsUnset, z.coerce.number().int().min(0).max(60_000).default(2500))
    .describe("when `cadence start` dies, how long its watchdog waits between SIGTERM and SIGKILL of the children's process groups"),
  // Read in cli/processes.ts where the children are spawned; listed here so that it is documented.
  CADENCE_CHILD_NODE_FLAGS: z.string().optional().describe('extra `node` flags for the core and Node edge child processes, space-separated, e.g. `--cpu-prof --cpu-prof-dir=DIR` to profile them'),
});

export type SupervisorEnv = z.infer<typeof supervisorEnvSchema>;

export function parseSupervisorEnv(env: Record<string, string | undefined>): SupervisorEnv {
  const result = supervisorEnvSchema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new Error(`invalid configuration: ${String(issue.path[0])}: ${issue.message}`);
  }
  return result.data;
}
