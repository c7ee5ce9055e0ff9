// The session policy of seed 002 as pure functions: severity of a decision, the session status a
// decision leads to, and what a client must do next.
import type { Decision } from '../../scoring/policy.ts';
import { higher, type Standing, type StoredStanding } from '../../scoring/session-standing.ts';

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

/**
 * The standing reported for a session (scoring/session-standing.ts): the stored level, raised by
 * what the identity lifecycle knows (a refresh-token reuse blocks without a batch), and `locked`
 * while the owner's account is locked.
 */
export function reportedStanding(s: { standing: StoredStanding; status: StoredStatus | null }, ownerLockedAtMs: number | null | undefined): Standing {
  if (ownerLockedAtMs != null) return 'locked';
  if (s.status === 'blocked') return 'block';
  if (s.status === 'challenged') return higher(s.standing, 'challenge');
  return s.standing;
}
