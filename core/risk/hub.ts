// In-process fan-out of core decisions to StreamDecisions subscribers and the webhook. Each
// subscriber has a bounded queue: one that cannot keep up is ended rather than slowing ingest.
import { CadenceError, Code } from '../../lib/errors.ts';
import { DECISIONS, type Decision } from '../../scoring/policy.ts';
import type { Assessment } from '../../scoring/prescore.ts';
import type { Window } from '../enrolment/windows.ts';
import type { StandingView } from '../../lib/wire.ts';

export interface StoredDecision {
  sessionId: string;
  batchId: string;
  /** '' for an anonymous session. */
  userId: string;
  assessment: Assessment;
  atMs: number;
  /** The population pre-score and, for a user's session, the feature window (ScoreSession's cache). */
  population?: Assessment;
  window?: Window;
  /** ...and its pointer window, when the core keeps pointer models. */
  pointerWindow?: Window;
  /** The session's standing after this batch (scoring/session-standing.ts). */
  standing?: StandingView;
}

export interface DecisionFilter {
  sessionId?: string;
  userId?: string;
  minDecision?: Decision;
}

export const SUBSCRIBER_QUEUE = 1000;

export function matches(f: DecisionFilter, d: StoredDecision): boolean {
  if (f.sessionId && f.sessionId !== d.sessionId) return false;
  if (f.userId && f.userId !== d.userId) return false;
  if (f.minDecision && DECISIONS.indexOf(d.assessment.decision) < DECISIONS.indexOf(f.minDecision)) return false;
  return true;
}

export function createDecisionHub() {
  const listeners = new Set<(d: StoredDecision) => void>();
  const closers = new Set<() => void>();
  return {
    publish(d: StoredDecision): void {
      for (const l of listeners) l(d);
    },
    /** Every decision from now on, as an async iterable; ends with an error when `signal` aborts or the queue overflows. */
    subscribe(filter: DecisionFilter, signal: AbortSignal): AsyncIterable<StoredDecision> {
      const queue: StoredDecision[] = [];
      let wake: (() => void) | undefined;
      let overflow = false;
      const listener = (d: StoredDecision) => {
        if (!matches(filter, d)) return;
        if (queue.length >= SUBSCRIBER_QUEUE) overflow = true;
        else queue.push(d);
        wake?.();
      };
      listeners.add(listener);
      const onAbort = () => wake?.();
      signal.addEventListener('abort', onAbort);
      let closed = false;
      const close = () => {
        closed = true;
        wake?.();
      };
      closers.add(close);
      return {
        async *[Symbol.asyncIterator]() {
          try {
            while (!signal.aborted && !closed) {
              if (overflow) throw new CadenceError(Code.RESOURCE_EXHAUSTED, `this subscriber fell more than ${SUBSCRIBER_QUEUE} decisions behind: reconnect`);
              const next = queue.shift();
              if (next) {
                yield next;
                continue;
              }
              await new Promise<void>((resolve) => (wake = resolve));
              wake = undefined;
            }
          } finally {
            listeners.delete(listener);
            closers.delete(close);
            signal.removeEventListener('abort', onAbort);
          }
        },
      };
    },
    /** Ends every stream normally (shutdown): subscribers reconnect, to another instance if need be. */
    close(): void {
      for (const c of [...closers]) c();
    },
    get subscribers(): number {
      return listeners.size;
    },
  };
}

export type DecisionHub = ReturnType<typeof createDecisionHub>;
