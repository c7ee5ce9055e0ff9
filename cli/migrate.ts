// `cadence migrate`: applies the committed SQL migrations to the configured database.
import process from 'node:process';
import { createDb } from '../db/client.ts';
import { parseCoreConfig } from '../core/config.ts';

export const command = {
  describe: 'apply database migrations (CADENCE_DB_URL, default the embedded file)',
  async run() {
    const config = parseCoreConfig(process.env);
    const db = await createDb(config.dbUrl, { authToken: config.dbAuthToken });
    db.$client.close();
    process.stderr.write(`migrated ${config.dbUrl.replace(/\?.*$/, '')}\n`);
  },
};
