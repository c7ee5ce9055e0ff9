// The session policy of seed 002 as pure functions: severity of a decision, the session status a
// decision leads to, and what a client must do next.
import type { Decision } from '../../scoring/policy.ts';

export type StoredStatus = 'active' | 'challenged' | 'blocked' | 'ended';
/** What a caller is told: the stored status, or what time and the account make of it. */
export type EffectiveStatus = StoredStatus | 'expired' | 'locked';
export type Severity = 'none' | 'low' | 'medium' | 'high';
export type RequiredAction = 'none' | 'verify_mpin' | 'login' | 'contact_support';

/** Seed 000's grading: monitor is low, an MPIN challenge medium, a block high. */
export function severityOf(decision: Decision): Severity {
  return ({ allow: 'none', monitor: 'low', challenge: 'medium', block: 'high' } as const)[decision];
}

/** The status after a decision: risk only ever tightens a session; only VerifyMpin loosens it. */
export function statusAfter(status: StoredStatus, decision: Decision): StoredStatus {
  if (status === 'ended' || status === 'blocked') return status;
  if (decision === 'block') return 'blocked';
  if (decision === 'challenge') return 'challenged';
  return status;
}

export function effectiveStatus(
  s: { status: StoredStatus; lastSeenMs: number },
  user: { lockedAtMs: number | null },
  idleMs: number,
  now: number,
): EffectiveStatus {
  if (user.lockedAtMs !== null) return 'locked';
  if (s.status === 'ended' || s.status === 'blocked') return s.status;
  if (now - s.lastSeenMs > idleMs) return 'expired';
  return s.status;
}

export function requiredAction(status: EffectiveStatus): RequiredAction {
  switch (status) {
    case 'active':
      return 'none';
    case 'challenged':
      return 'verify_mpin';
    case 'locked':
      return 'contact_support';
    default:
      return 'login';
  }
}
