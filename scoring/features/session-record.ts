// Seed 004's session record as the supervised session model takes it: context Cadence can observe
// (device, screen, browser, language, orientation, city, time zone, local hour) and page activity
// (time on page, clicks, scrolls, form submissions, page views, session duration) plus per-user
// history (bounce rate, conversion rate, average session duration). User and session ids are NOT
// features (seed 004 fed them to its forest; an id only memorises who was in the training set).
// Every field may be missing; the encoding (tabular-encoding.ts) is fitted on the training records.

export const SESSION_CATEGORICAL = ['device_type', 'screen_size', 'browser', 'language', 'orientation', 'geolocation_city', 'timezone'] as const;
export const SESSION_NUMERIC = [
  'local_hour',
  'time_on_page_s',
  'clicks',
  'scrolls',
  'form_submissions',
  'page_views',
  'session_duration_s',
  'bounce_rate',
  'conversion_rate',
  'avg_session_duration_s',
] as const;

/** The model's columns, in row order (also its feature schema in the registry). */
export const SESSION_FIELDS: readonly string[] = [...SESSION_CATEGORICAL, ...SESSION_NUMERIC];

export type SessionRecord = Partial<Record<(typeof SESSION_CATEGORICAL)[number], string> & Record<(typeof SESSION_NUMERIC)[number], number>>;

/** Longest categorical value accepted (a screen size, a city, a time zone name). */
export const MAX_CATEGORY_LENGTH = 128;

/**
 * Why a record cannot be scored, naming the field, or null. Missing fields are fine; a present one
 * must be a finite non-negative number (a rate within [0, 1], an hour within [0, 24)) or a string
 * of at most MAX_CATEGORY_LENGTH characters.
 */
export function sessionRecordProblem(r: SessionRecord): { field: string; message: string } | null {
  for (const f of SESSION_CATEGORICAL) {
    const v = r[f];
    if (v !== undefined && (typeof v !== 'string' || v.length > MAX_CATEGORY_LENGTH)) return { field: f, message: `${f} must be a string of at most ${MAX_CATEGORY_LENGTH} characters` };
  }
  for (const f of SESSION_NUMERIC) {
    const v = r[f];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return { field: f, message: `${f} must be a finite number >= 0` };
    if ((f === 'bounce_rate' || f === 'conversion_rate') && v > 1) return { field: f, message: `${f} must be within [0, 1]` };
    if (f === 'local_hour' && v >= 24) return { field: f, message: 'local_hour must be within [0, 24)' };
  }
  return null;
}

/** The record as cells in SESSION_FIELDS order (undefined = missing). */
export function sessionRecordCells(r: SessionRecord): (string | number | undefined)[] {
  return SESSION_FIELDS.map((f) => r[f as keyof SessionRecord]);
}
