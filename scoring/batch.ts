// The event batch as browsers send it, and its validation: strict, bounded, and errors as values
// naming the offending field. Unknown fields are refused so that nothing like a key value slips in.
import { z } from 'zod';
import { checkBatch } from './batch-check.ts';
import { ENVIRONMENT_STATE, EVENT_TYPES, ID_PATTERN, INPUT_STATES, KEY_CLASSES, LIMITS, LONE_SURROGATE, POINTER_TYPES } from './batch-limits.ts';

export { EVENT_TYPES, INPUT_STATES, KEY_CLASSES, LIMITS, POINTER_TYPES, type EventType, type InputState, type KeyClass } from './batch-limits.ts';

const id = z
  .string()
  .min(1)
  .max(LIMITS.maxIdLength)
  .regex(ID_PATTERN, 'may contain only letters, digits and . _ : -');
const coordinate = z.number().finite().min(-LIMITS.maxCoordinate).max(LIMITS.maxCoordinate);
const shortText = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !LONE_SURROGATE.test(s), 'must be well-formed Unicode (a lone surrogate was sent)');

const eventSchema = z.strictObject({
  type: z.enum(EVENT_TYPES),
  t: z.number().finite().min(0).max(LIMITS.maxTimestampMs),
  keyClass: z.enum(KEY_CLASSES).optional(),
  field: shortText(LIMITS.maxFieldLength).optional(),
  position: z.number().int().min(0).max(100_000).optional(),
  x: coordinate.optional(),
  y: coordinate.optional(),
  dx: coordinate.optional(),
  dy: coordinate.optional(),
  button: z.number().int().min(0).max(31).optional(),
  pressure: z.number().finite().min(0).max(1).optional(),
  pointerType: z.enum(POINTER_TYPES).optional(),
  state: shortText(32).optional(),
});

const contextSchema = z.strictObject({
  page: shortText(LIMITS.maxPageLength).optional(),
  deviceId: id.optional(),
  language: shortText(35).optional(),
  screen: z
    .strictObject({ width: z.number().int().min(0).max(100_000), height: z.number().int().min(0).max(100_000) })
    .optional(),
});

export const batchSchema = z
  .strictObject({
    sessionId: id,
    batchId: id,
    seq: z.number().int().min(0).max(LIMITS.maxSeq),
    consent: z.literal(true),
    context: contextSchema.optional(),
    events: z.array(eventSchema).min(1).max(LIMITS.maxEvents),
  })
  .superRefine((batch, ctx) => {
    for (let i = 0; i < batch.events.length; i++) {
      const e = batch.events[i]!;
      if (i > 0 && e.t < batch.events[i - 1]!.t) {
        ctx.addIssue({ code: 'custom', path: ['events', i, 't'], message: 'timestamps must not decrease within a batch' });
        return;
      }
      if ((e.type === 'keydown' || e.type === 'keyup') && e.keyClass === undefined) {
        ctx.addIssue({ code: 'custom', path: ['events', i, 'keyClass'], message: 'key events need a keyClass' });
        return;
      }
      if (e.type === 'input' && !(INPUT_STATES as readonly string[]).includes(e.state as string)) {
        ctx.addIssue({ code: 'custom', path: ['events', i, 'state'], message: `input events need a state: one of ${INPUT_STATES.join(', ')}` });
        return;
      }
      if (e.type === 'environment' && !ENVIRONMENT_STATE.test(e.state ?? '')) {
        ctx.addIssue({ code: 'custom', path: ['events', i, 'state'], message: 'environment events need a state: webdriver, headless, detached, touch, case:M/N or centre:M/N' });
        return;
      }
    }
  });

export type EventBatch = z.infer<typeof batchSchema>;
export type BatchEvent = EventBatch['events'][number];

export interface BatchProblem {
  field: string;
  message: string;
}

export type BatchResult = { ok: true; batch: EventBatch } | { ok: false; problem: BatchProblem };

/** Validates a parsed JSON value; the first problem found is reported with its dotted field path. */
export function parseBatch(input: unknown): BatchResult {
  // A valid batch is taken as it is; zod runs only to say what is wrong with an invalid one.
  if (checkBatch(input)) return { ok: true, batch: input as EventBatch };
  const result = batchSchema.safeParse(input);
  if (result.success) return { ok: true, batch: result.data };
  const issue = result.error.issues[0]!;
  let field = issue.path.map(String).join('.');
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    field = [...issue.path.map(String), issue.keys[0]].join('.');
    message = `unknown field (events carry timings and key classes, never key values)`;
  }
  return { ok: false, problem: { field: field || '(body)', message } };
}

/** True when the body carries explicit consent; checked before anything else is looked at. */
export function hasConsent(input: unknown): boolean {
  return typeof input === 'object' && input !== null && (input as { consent?: unknown }).consent === true;
}
