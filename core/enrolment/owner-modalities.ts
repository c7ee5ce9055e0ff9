// One window judged by two of the owner's models (issue 18): a batch with typing and mouse actions is
// scored by the user's keystroke model and by their pointer model. The window's answer takes the
// larger risk of the two, and its owner evidence (ownerRisk, read by scoring/owner-evidence.ts) the
// larger of the two session-mean risks, never their sum: both models watch the same person over the
// same 3 s, and a tired or distracted owner is off in both at once, so adding them would count one
// fact twice. A window only one model judged (typing only, mouse only) keeps that model's answer.
import type { Assessment } from '../../scoring/prescore.ts';
import { sessionShares } from '../../scoring/user-model.ts';
import { decide, type Thresholds } from '../../scoring/policy.ts';

/** `keys` and `pointer`: the assessments fused with that modality's active model (undefined: no model or not judged). */
export function combineOwners(pop: Assessment, keys: Assessment | undefined, pointer: Assessment | undefined, t: Thresholds): Assessment {
  if (!keys || !pointer) return keys ?? pointer ?? pop;
  const [high, low] = keys.score >= pointer.score ? [keys, pointer] : [pointer, keys];
  const risks = [keys.ownerRisk, pointer.ownerRisk].filter((r): r is number => r !== undefined);
  return {
    score: high.score,
    decision: decide(high.score, t),
    // user-keystroke@a+user-pointer@b+population
    modelVersion: `${keys.modelVersion.split('+')[0]}+${pointer.modelVersion}`,
    reasons: [...new Set([...high.reasons, ...low.reasons])].slice(0, 6),
    judged: true,
    ...(risks.length ? { ownerRisk: Math.max(...risks) } : {}),
    ...sessionShares(pop),
  };
}
