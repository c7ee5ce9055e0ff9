// Session-level context as in seed 004: time on page, clicks, scrolls, form submissions, page views,
// session duration, and categorical device type, screen size, browser family, language and
// orientation, one-hot encoded with an explicit "unknown" slot for missing or unseen categories.
import type { BatchEvent, EventBatch } from '../batch.ts';
import { finite } from './numeric.ts';

export const CATEGORIES = {
  device: ['desktop', 'mobile', 'tablet'],
  screen: ['small', 'medium', 'large'],
  browser: ['chrome', 'firefox', 'safari', 'edge', 'other'],
  language: ['en', 'de', 'fr', 'es', 'zh', 'other'],
  orientation: ['landscape', 'portrait'],
} as const;
type Category = keyof typeof CATEGORIES;

/** What a session tells about itself beyond the batch (all optional: missing becomes "unknown"). */
export interface SessionInfo {
  /** Milliseconds since the session started, when the server knows it. */
  sessionDurationMs?: number;
  pageViews?: number;
  formSubmissions?: number;
  userAgent?: string;
  deviceType?: string;
}

export const CONTEXT_NUMERIC = ['time_on_page_s', 'clicks', 'scrolls', 'form_submissions', 'page_views', 'session_duration_s', 'navigations', 'blurs'] as const;

export function contextFeatureNames(): string[] {
  const names: string[] = [...CONTEXT_NUMERIC];
  for (const [c, values] of Object.entries(CATEGORIES)) for (const v of [...values, 'unknown']) names.push(`${c}=${v}`);
  return names;
}

export function browserFamily(userAgent: string | undefined): string | undefined {
  if (!userAgent) return undefined;
  const ua = userAgent.toLowerCase();
  if (ua.includes('edg/')) return 'edge';
  if (ua.includes('firefox/')) return 'firefox';
  if (ua.includes('chrome/') || ua.includes('chromium/')) return 'chrome';
  if (ua.includes('safari/')) return 'safari';
  return 'other';
}

export interface ContextWindow {
  names: string[];
  vector: Float64Array;
  /** The category each slot resolved to ("unknown" when missing or never seen). */
  categories: Record<Category, string>;
}

export function contextFeatures(batch: Pick<EventBatch, 'events' | 'context'>, info: SessionInfo = {}): ContextWindow {
  const events: readonly BatchEvent[] = batch.events ?? [];
  const first = events[0]?.t ?? 0;
  const last = events[events.length - 1]?.t ?? first;
  const w = batch.context?.screen?.width;
  const h = batch.context?.screen?.height;
  const short = w && h ? Math.min(w, h) : undefined;
  const device = info.deviceType?.toLowerCase() ?? (short === undefined ? undefined : short < 600 ? 'mobile' : short < 900 && events.some((e) => e.type.startsWith('touch')) ? 'tablet' : 'desktop');
  const categories: Record<Category, string> = {
    device: pick('device', device),
    screen: pick('screen', short === undefined ? undefined : short < 600 ? 'small' : short < 1000 ? 'medium' : 'large'),
    browser: pick('browser', browserFamily(info.userAgent)),
    language: pick('language', batch.context?.language ? (CATEGORIES.language as readonly string[]).includes(batch.context.language.slice(0, 2).toLowerCase()) ? batch.context.language.slice(0, 2).toLowerCase() : 'other' : undefined),
    orientation: pick('orientation', w && h ? (w >= h ? 'landscape' : 'portrait') : undefined),
  };
  const count = (type: string) => events.filter((e) => e.type === type).length;
  const numeric = [
    Math.max(0, last - first) / 1000,
    count('pointerdown') + count('touchstart'),
    count('wheel'),
    finite(info.formSubmissions ?? 0),
    finite(info.pageViews ?? 1),
    finite((info.sessionDurationMs ?? Math.max(0, last - first)) / 1000),
    count('navigation'),
    count('blur'),
  ].map((v) => Math.max(0, finite(v)));
  const oneHot: number[] = [];
  for (const [c, values] of Object.entries(CATEGORIES) as [Category, readonly string[]][]) for (const v of [...values, 'unknown']) oneHot.push(categories[c] === v ? 1 : 0);
  return { names: contextFeatureNames(), vector: Float64Array.from([...numeric, ...oneHot]), categories };
}

function pick(c: Category, value: string | undefined): string {
  return value !== undefined && (CATEGORIES[c] as readonly string[]).includes(value) ? value : 'unknown';
}
