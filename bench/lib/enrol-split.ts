// How the per-user evaluations (bench/eval-live-per-user.ts, bench/eval-user-sessions.ts) split a
// person's windows into enrolment and a later test session.
import { pointerWindowOf } from '../../core/enrolment/pointer-windows.ts';
import { windowOf } from '../../core/enrolment/windows.ts';
import type { CorpusSession } from './corpus.ts';

/** Whether a model of the modality can judge a window. */
export type Judged = (events: CorpusSession['batches'][number]['events']) => boolean;
export const keystrokeJudged: Judged = (events) => windowOf(events).judged;
export const pointerJudged: Judged = (events) => pointerWindowOf(events).judged;

/** A session's windows up to its `n`-th judged one (undefined: fewer). */
export function untilJudged<T extends { events: CorpusSession['batches'][number]['events'] }>(batches: readonly T[], n: number, judged: Judged): T[] | undefined {
  let usable = 0;
  let end = 0;
  while (end < batches.length && usable < n) if (judged(batches[end++]!.events)) usable++;
  return usable < n ? undefined : batches.slice(0, end);
}

/**
 * A person's windows split as a logged-in owner types them: enrolment runs until `enrol` windows the
 * core can judge were typed (the collector's 3-s cuts leave fragments of a few keys, which no model
 * can learn from), the test session is the next `test` windows. Undefined: too few windows.
 */
export function enrolAndTest<T extends { events: CorpusSession['batches'][number]['events'] }>(batches: readonly T[], enrol: number, test: number, judged: Judged = keystrokeJudged): { enrol: T[]; test: T[] } | undefined {
  let usable = 0;
  let end = 0;
  while (end < batches.length && usable < enrol) if (judged(batches[end++]!.events)) usable++;
  if (usable < enrol || end + test > batches.length) return undefined;
  return { enrol: batches.slice(0, end), test: batches.slice(end, end + test) };
}
