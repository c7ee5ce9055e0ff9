// The WebSocket stream (seed 002): the collector sends batches as messages; the edge acknowledges
// each and pushes the decision, plus `mpin_required` or `session_blocked` as soon as the risk
// crosses those thresholds. Portable: each runtime adapts its socket to StreamSocket.
import { requiredActionOf } from '../scoring/session-standing.ts';
import type { Geo } from '../lib/geo.ts';
import type { Intake } from './intake.ts';
import { followStanding, type CoreStanding } from './standing-watch.ts';

export interface StreamSocket {
  send(text: string): void;
  close(code: number, reason: string): void;
}

export interface StreamHandlers {
  onMessage(data: string | ArrayBuffer | Uint8Array): Promise<void>;
  onClose(): void;
}

/** After this many refused messages in a row the connection is closed. */
const MAX_CONSECUTIVE_ERRORS = 10;

/** `geo`: where the upgrade request came from (edge/geo.ts), sent on with each batch of the socket. */
export function openStream(intake: Intake, socket: StreamSocket, clientIp: string, maxMessageBytes: number, geo?: Geo): StreamHandlers {
  let errors = 0;
  let closed = false;
  let watching: string | undefined;
  const send = (msg: object) => {
    if (!closed) socket.send(JSON.stringify(msg));
  };
  const close = (code: number, reason: string) => {
    if (closed) return;
    closed = true;
    socket.close(code, reason);
  };
  const fail = (error: { code: string; message: string; field?: string; retryAfter?: number }) => {
    send({ type: 'error', error });
    if (++errors >= MAX_CONSECUTIVE_ERRORS) close(1008, 'too many invalid messages');
  };

  /** The core's standing of the watched session: pushed to the page as it changes, acted on. */
  const fromCore = (core: CoreStanding) => {
    const standing = intake.adopt(core.sessionId, core.level, core.reasons, false, core.changedAtMs);
    const level = core.level === 'locked' ? 'locked' : standing;
    const requiredAction = requiredActionOf(level);
    send({ type: 'standing', source: 'core', sessionId: core.sessionId, standing: level, requiredAction, reasons: core.reasons, changedAtMs: core.changedAtMs });
    if (level === 'challenge') send({ type: 'mpin_required', source: 'core', sessionId: core.sessionId, reasons: core.reasons, standing: level, requiredAction });
    if (level === 'block' || level === 'locked') {
      send({ type: level === 'locked' ? 'account_locked' : 'session_blocked', source: 'core', sessionId: core.sessionId, reasons: core.reasons });
      close(1008, level === 'locked' ? 'account locked' : 'session blocked');
    }
  };

  return {
    async onMessage(data) {
      if (closed) return;
      const size = typeof data === 'string' ? data.length : data.byteLength;
      if (size > maxMessageBytes) {
        send({ type: 'error', error: { code: 'message_too_large', message: `messages are limited to ${maxMessageBytes} bytes` } });
        close(1009, 'message too large');
        return;
      }
      const limited = intake.admit(clientIp);
      if (limited) return fail(limited);
      const text = typeof data === 'string' ? data : new TextDecoder().decode(data);
      let message: { type?: unknown; batch?: unknown; token?: unknown };
      try {
        message = JSON.parse(text) as typeof message;
      } catch (err) {
        return fail({ code: 'malformed_json', message: `the message is not valid JSON: ${(err as Error).message}`, field: '(message)' });
      }
      if (typeof message !== 'object' || message === null || message.type !== 'batch') {
        return fail({ code: 'unknown_message', message: 'send { "type": "batch", "token"?: "...", "batch": { ... } }', field: 'type' });
      }
      if (message.token !== undefined && typeof message.token !== 'string') {
        return fail({ code: 'invalid_token', message: 'token must be a string', field: 'token' });
      }
      const outcome = await intake.take(JSON.stringify(message.batch ?? null), message.token, undefined, geo);
      if (!outcome.ok) {
        const { ok: _ok, status: _status, ...error } = outcome;
        fail({ ...error, ...(error.field ? { field: `batch.${error.field}` } : {}) });
        // A blocked session's socket is closed as when the block was decided (the block may have
        // come from the core, with the answer to an earlier batch: edge/forward.ts).
        if (outcome.code === 'session_blocked') {
          const sessionId = (message.batch as { sessionId?: unknown } | null)?.sessionId;
          send({ type: 'session_blocked', source: 'edge', sessionId: typeof sessionId === 'string' ? sessionId : undefined, reasons: [...intake.reasonsOf(String(sessionId))] });
          close(1008, 'session blocked');
        }
        return;
      }
      errors = 0;
      const { sessionId, batchId, duplicate, assessment: a, windowScore, standing } = outcome;
      const requiredAction = requiredActionOf(standing);
      send({ type: 'ack', batchId, accepted: true, duplicate });
      // The edge's pre-score is the immediate answer (source: edge); the core's word follows as `standing` messages.
      send({ type: 'decision', source: 'edge', sessionId, batchId, decision: a.decision, score: a.score, windowScore, reasons: a.reasons, modelVersion: a.modelVersion, judged: a.judged, standing, requiredAction });
      // The standing, not the batch's answer, says what the page must do: a challenge holds until the MPIN.
      if (standing === 'challenge') send({ type: 'mpin_required', source: 'edge', sessionId, score: a.score, reasons: a.reasons, standing, requiredAction });
      if (standing === 'block') {
        send({ type: 'session_blocked', source: 'edge', sessionId, score: a.score, reasons: a.reasons });
        close(1008, 'session blocked');
        return;
      }
      if (watching === undefined) {
        watching = sessionId;
        void followStanding(intake.watch, sessionId, () => closed, (core) => fromCore(core));
      }
    },
    onClose() {
      closed = true;
    },
  };
}
