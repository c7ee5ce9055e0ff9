// Shapes of what the AdminService / ModelService handlers return (their plain objects, before
// proto encoding), and small formatting helpers shared by the pages.
import type { Decision } from '../../scoring/policy.ts';
import { h, type Raw } from './html.ts';

export interface WireAssessment {
  score: number;
  decision: string;
  modelVersion: string;
  reasons: string[];
  judged: boolean;
}

export interface SessionSummary {
  sessionId: string;
  userId: string;
  deviceId: string;
  status: string;
  firstSeenMs: number;
  lastSeenMs: number;
  batchCount: number;
  eventCount: number;
  page: string;
  /** Where the session's first located request came from (empty when unknown). */
  country?: string;
  city?: string;
  latest: WireAssessment | null;
  /** The level the session has reached (scoring/session-standing.ts): it sticks where `latest` moves. */
  standing?: { level: string; requiredAction: string; reasons: string[]; changedAtMs: number; severity: string } | null;
}

export interface SessionDetail {
  session: SessionSummary;
  events: { type: string; count: number }[];
  scores: { batchId: string; source: string; createdAtMs: number; assessment: WireAssessment }[];
  securityEvents: { kind: string; severity: string; score: number; modelVersion: string; reasons: string[]; batchId: string; createdAtMs: number }[];
  reasons: Record<string, number>;
}

export interface Stats {
  activeSessions: number;
  sessions: number;
  batches: number;
  events: number;
  judgedBatches: number;
  anomalyRate: number;
  mpinChallenges: number;
  mpinSuccesses: number;
  mpinFailures: number;
  blocks: number;
  locks: number;
  usersWithModel: number;
}

export interface ModelInfo {
  id: string;
  kind: string;
  scope: string;
  version: string;
  sha256: string;
  featureSchema: string[];
  metrics: Record<string, number>;
  trainedAtMs: number;
  active: boolean;
  /** Chosen by an operator (Activate, Rollback): automatic retraining leaves the scope alone. */
  pinned?: boolean;
  sizeBytes: number;
}

const SEVERITY: Record<Decision, string> = { allow: 'none', monitor: 'low', challenge: 'medium', block: 'high' };

/** 'DECISION_CHALLENGE' -> 'challenge'; unknown -> undefined. */
export function decisionOf(wire: string | undefined): Decision | undefined {
  const d = String(wire ?? '').replace(/^DECISION_/, '').toLowerCase();
  return d === 'allow' || d === 'monitor' || d === 'challenge' || d === 'block' ? d : undefined;
}

export const severityOf = (d: Decision | undefined) => (d ? SEVERITY[d] : 'none');

export function pill(a: WireAssessment | null | undefined): Raw {
  const d = decisionOf(a?.decision);
  if (!a || !d) return h`<span class="pill none">no decision</span>`;
  return h`<span class="pill ${d}" data-decision="${d}">${d} · ${severityOf(d)}</span>`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Unix ms as `YYYY-MM-DD HH:MM:SS` UTC (the dashboard shows UTC throughout). */
export function utc(ms: number): string {
  if (!ms) return '—';
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** Ids are long; the table shows a prefix and keeps the whole one in the link and tooltip. */
export const short = (id: string, n = 10) => (id.length > n + 1 ? `${id.slice(0, n)}…` : id);

export const score = (a: WireAssessment | null | undefined) => (a && a.judged ? a.score.toFixed(3) : a ? '—' : '');

/** 'STANDING_LEVEL_BLOCK' -> 'block'. */
export const standingName = (wire: string | undefined) => String(wire ?? '').replace(/^STANDING_LEVEL_/, '').toLowerCase() || 'allow';

/** The session's standing as a pill, with what the user must do when that is something. */
export function standingPill(st: SessionSummary['standing']): Raw {
  if (!st) return h`<span class="pill none">—</span>`;
  const level = standingName(st.level);
  const cls = level === 'locked' ? 'block' : level;
  return h`<span class="pill ${cls}" data-standing="${level}" title="${st.reasons.join(', ')}">${level} · ${st.severity}</span>`;
}
