// The edge's JSON error body, `{ error: { code, message, field } }`, for every refusal.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export function refuse(c: Context, status: ContentfulStatusCode, code: string, message: string, field?: string): Response {
  return c.json({ error: field === undefined ? { code, message } : { code, message, field } }, status);
}
