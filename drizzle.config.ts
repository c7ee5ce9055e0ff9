// drizzle-kit configuration: `npm run db:generate` writes SQL migrations from db/schema.ts.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'turso',
  schema: './db/schema.ts',
  out: './db/migrations',
  dbCredentials: { url: 'file:./data/cadence.db' },
});
