// The session's answered signals joined with its present ones, in SQL, so that a verified MPIN or an
// analyst's clear records what it answered in the same write that lowers the standing
// (scoring/session-evidence.ts afterStepUp; the rate groups are read from the names when judged).
import { sql } from 'drizzle-orm';
import { sessions } from '../../db/schema.ts';

export const ANSWERED_WITH_SIGNALS = sql`(select json_group_array(value) from (select value from json_each(coalesce(${sessions.evidenceAnswered}, '[]')) union select value from json_each(${sessions.evidenceSignals})))`;
