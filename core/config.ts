// The core's configuration: parsed once from the environment into a typed object, passed down.
import { z } from 'zod';
import { DEFAULT_DB_URL } from '../db/client.ts';

const port = z.coerce.number().int().min(0).max(65535);

export const configSchema = z.object({
  host: z.string().default('127.0.0.1'),
  grpcPort: port.default(50051),
  httpPort: port.default(8080),
  dbUrl: z.string().regex(/^(file:|libsql:|https?:|wss?:|:memory:)/, 'must be a file:, libsql:, http(s): or ws(s): URL').default(DEFAULT_DB_URL),
  dbAuthToken: z.string().optional(),
  logLevel: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** Largest request the HTTP face reads, in bytes. */
  maxBodyBytes: z.coerce.number().int().min(1024).default(1 << 20),
});

export type CoreConfig = z.infer<typeof configSchema>;

/** Variables the core reads, named CADENCE_*; see the README's configuration table. */
export function parseCoreConfig(env: Record<string, string | undefined>): CoreConfig {
  const result = configSchema.safeParse({
    host: env.CADENCE_HOST,
    grpcPort: env.CADENCE_GRPC_PORT,
    httpPort: env.CADENCE_HTTP_PORT,
    dbUrl: env.CADENCE_DB_URL,
    dbAuthToken: env.CADENCE_DB_AUTH_TOKEN,
    logLevel: env.CADENCE_LOG_LEVEL,
    maxBodyBytes: env.CADENCE_MAX_BODY_BYTES,
  });
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new Error(`invalid configuration: ${String(issue.path[0])}: ${issue.message}`);
  }
  return result.data;
}
