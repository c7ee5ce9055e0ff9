// The one error type of Cadence: a gRPC status code, a message that says what to fix, and
// optionally the offending field. Each boundary maps it (gRPC status, Connect JSON, HTTP 4xx).

export const Code = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;
export type Code = (typeof Code)[keyof typeof Code];

// Connect's names are the lower-case gRPC names, except CANCELLED, which Connect spells "canceled".
const names = Object.fromEntries(Object.entries(Code).map(([k, v]) => [v, v === 1 ? 'canceled' : k.toLowerCase()])) as Record<Code, string>;

/** HTTP status for each code, as the Connect protocol maps them. */
const httpStatuses: Record<Code, number> = {
  0: 200, 1: 499, 2: 500, 3: 400, 4: 504, 5: 404, 6: 409, 7: 403,
  8: 429, 9: 400, 10: 409, 11: 400, 12: 501, 13: 500, 14: 503, 15: 500, 16: 401,
};

export class CadenceError extends Error {
  override readonly name = 'CadenceError';
  constructor(
    readonly code: Code,
    message: string,
    /** Dotted path of the input field at fault, e.g. `events.3.t`. */
    readonly field?: string,
    options?: { cause?: unknown; retryAfterS?: number },
  ) {
    super(message, options);
    if (options?.retryAfterS !== undefined) this.retryAfterS = options.retryAfterS;
  }

  /** When a refusal for going too fast (RESOURCE_EXHAUSTED) may be retried: sent as google.rpc.RetryInfo. */
  readonly retryAfterS?: number;

  /**
   * Normalises anything thrown; unknown errors become INTERNAL and keep the original as cause. A
   * database busy or locked by another writer is UNAVAILABLE: the caller should retry, and edges do.
   */
  static from(err: unknown): CadenceError {
    if (err instanceof CadenceError) return err;
    const code = String((err as { code?: unknown } | null)?.code ?? '');
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
      return new CadenceError(Code.UNAVAILABLE, 'the database is busy (another writer holds it); retry shortly', undefined, { cause: err });
    }
    return new CadenceError(Code.INTERNAL, 'internal error', undefined, { cause: err });
  }

  get codeName(): string {
    return names[this.code];
  }

  get httpStatus(): number {
    return httpStatuses[this.code];
  }

  /** What may be sent to a caller: never the cause, which stays in the logs. */
  toJSON(): { code: string; message: string; field?: string } {
    return this.field === undefined
      ? { code: this.codeName, message: this.message }
      : { code: this.codeName, message: this.message, field: this.field };
  }
}

export const codeName = (code: Code): string => names[code];
export const codeFromName = (name: string): Code | undefined =>
  name.toLowerCase() === 'canceled' ? Code.CANCELLED : (Code as Record<string, Code>)[name.toUpperCase()];

/**
 * The code a Connect client reads from an HTTP status when the body carries none (a proxy's
 * error page, an empty 502): the Connect protocol's table, which is not the inverse of httpStatuses.
 */
export function codeFromHttpStatus(status: number): Code {
  switch (status) {
    case 400: return Code.INTERNAL;
    case 401: return Code.UNAUTHENTICATED;
    case 403: return Code.PERMISSION_DENIED;
    case 404: return Code.UNIMPLEMENTED;
    case 429: case 502: case 503: case 504: return Code.UNAVAILABLE;
    default: return Code.UNKNOWN;
  }
}

/** A field path as proto names it (`events.3.device_id`), for google.rpc.BadRequest: our paths are camelCase. */
export const protoFieldPath = (field: string): string => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
export const httpStatusOf = (code: Code): number => httpStatuses[code];
