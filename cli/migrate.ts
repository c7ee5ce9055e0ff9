// `cadence migrate`: applies the committed SQL migrations to the configured database.
import process from 'node:process';
import { createDb } from '../db/client.ts';
import { parseCoreConfig } from '../core/config.ts';
import type { Command } from './help.ts';

export const command: Command = {
  describe: 'apply database migrations (CADENCE_DB_URL, default the embedded file)',
  usage: 'cadence migrate',
  options: [
    ['CADENCE_DB_URL', 'the database (environment; default file:./data/cadence.db; libsql://... for a server)'],
    ['CADENCE_DB_AUTH_TOKEN', 'its token, for a libSQL server that asks for one (environment)'],
  ],
  examples: ['cadence migrate', 'CADENCE_DB_URL=http://127.0.0.1:8080 cadence migrate'],
  async run() {
    const config = parseCoreConfig(process.env);
    const db = await createDb(config.dbUrl, { authToken: config.dbAuthToken, writers: config.dbWriters });
    db.$client.close();
    process.stderr.write(`migrated ${config.dbUrl.replace(/\?.*$/, '')}\n`);
  },
};
