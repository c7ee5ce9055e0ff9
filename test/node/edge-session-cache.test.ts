// The edge's mirror of sessions' evidence (edge/session-evidence-cache.ts) stays within its bounds in
// sessions and in estimated bytes, forgetting the least recently seen first.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mirrorBytes, SessionEvidenceCache, type SessionMirror } from '../../edge/session-evidence-cache.ts';
import { NO_EVIDENCE } from '../../scoring/session-evidence.ts';

/** A session's mirror; `samples` pointer samples pending (a batch that ended mid-movement). */
const mirror = (samples = 0, standing: SessionMirror['standing'] = 'allow'): SessionMirror => ({
  evidence: { ...NO_EVIDENCE, llr: 1, signals: ['jittered_path'], reaches: { n: 2, single: 1, ...(samples ? { pending: { s: Array.from({ length: 3 * samples }, (_, i) => i) } } : {}) } },
  standing,
});

describe('the edge mirror of session evidence', () => {
  it('a pending movement costs its samples: 80 of them about four times an idle session', () => {
    expect(mirrorBytes('s', mirror(80)) - mirrorBytes('s', mirror(0))).toBe(64 + 80 * 3 * 8);
    expect(mirrorBytes('s', mirror(80)) / mirrorBytes('s', mirror(0))).toBeGreaterThan(3);
  });

  it('stays under its bytes, forgetting the least recently seen sessions first', () => {
    const maxBytes = 100 * mirrorBytes('session-000', mirror(80));
    const cache = new SessionEvidenceCache(100_000, maxBytes);
    for (let i = 0; i < 1000; i++) {
      cache.set(`session-${String(i).padStart(3, '0')}`, mirror(80));
      expect(cache.bytes).toBeLessThanOrEqual(maxBytes);
    }
    expect(cache.size).toBe(100);
    // Seen again, an old session moves to the back of the line.
    cache.set('session-900', mirror(80));
    cache.set('session-new', mirror(80));
    expect(cache.get('session-900').evidence.llr).toBe(1);
    expect(cache.get('session-901').evidence).toBe(NO_EVIDENCE);
    // Idle sessions are cheaper: more of them fit in the same bytes.
    const idle = new SessionEvidenceCache(100_000, maxBytes);
    for (let i = 0; i < 1000; i++) idle.set(`session-${String(i).padStart(3, '0')}`, mirror(0));
    expect(idle.size).toBeGreaterThan(300);
    expect(idle.bytes).toBeLessThanOrEqual(maxBytes);
  });

  it('counts a session once however often it is set, and keeps the last one set even past the bound', () => {
    const cache = new SessionEvidenceCache(100_000, 10 ** 6);
    for (let i = 0; i < 50; i++) cache.set('one', mirror(i % 2 ? 0 : 80)); // the last: none pending
    expect(cache.size).toBe(1);
    expect(cache.bytes).toBe(mirrorBytes('one', mirror(0)));
    const tiny = new SessionEvidenceCache(100_000, 10);
    tiny.set('a', mirror(80));
    tiny.set('b', mirror(80));
    expect(tiny.size).toBe(1);
    expect(tiny.get('b').evidence.llr).toBe(1);
    expect(tiny.bytes).toBe(mirrorBytes('b', mirror(80)));
  });

  it('stays under its count of sessions, and a block outlives the evidence it was learnt from', () => {
    const cache = new SessionEvidenceCache(10, 10 ** 9);
    cache.set('blocked', mirror(0, 'block'));
    for (let i = 0; i < 30; i++) cache.set(`s${i}`, mirror(0));
    expect(cache.size).toBe(10);
    expect(cache.get('blocked').evidence).toBe(NO_EVIDENCE);
    expect(cache.isBlocked('blocked')).toBe(true);
  });

  it('forgets sessions held at challenge only after every other session', () => {
    const cache = new SessionEvidenceCache(100_000, 50 * mirrorBytes('flood-00000', mirror(80)));
    cache.set('bot', mirror(0, 'challenge'));
    for (let i = 0; i < 10_000; i++) cache.set(`flood-${String(i).padStart(5, '0')}`, mirror(80));
    expect(cache.get('bot').standing).toBe('challenge');
    // Once challenged sessions are all that is left, the oldest of them goes, the newest stays.
    const few = new SessionEvidenceCache(3, 10 ** 9);
    for (const id of ['c1', 'c2', 'c3', 'c4']) few.set(id, mirror(0, 'challenge'));
    expect(few.get('c1').standing).toBe('allow');
    expect(few.get('c4').standing).toBe('challenge');
    few.set('plain', mirror(0));
    expect(few.size).toBe(3);
    expect(few.get('plain').evidence.llr).toBe(1);
    expect(few.get('c2').standing).toBe('allow');
    // Cleared by the step-up, a session moves back to the ordinary tier.
    few.set('c4', mirror(0, 'allow'));
    few.set('c5', mirror(0, 'challenge'));
    expect(few.get('c3').standing).toBe('challenge');
    expect(few.get('c4').standing).toBe('allow');
    expect(few.get('c4').evidence.llr).toBe(1);
  });

  it('keeps its total exact and within its bounds under any sequence of sets (property)', () => {
    const standing = fc.constantFrom<SessionMirror['standing']>('allow', 'monitor', 'challenge', 'block');
    const entry = fc.record({ samples: fc.integer({ min: 0, max: 80 }), standing, reasons: fc.option(fc.array(fc.string({ maxLength: 30 }), { maxLength: 6 }), { nil: undefined }) });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 40_000 }), fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'), entry), { maxLength: 120 }), (max, maxBytes, ops) => {
        const cache = new SessionEvidenceCache(max, maxBytes);
        const live = new Map<string, SessionMirror>();
        for (const [id, { samples, standing: s, reasons }] of ops) {
          const m = { ...mirror(samples, s), ...(reasons ? { reasons } : {}) };
          cache.set(id, m);
          live.set(id, m);
          let sum = 0;
          let size = 0;
          for (const [k, v] of live) if (cache.get(k) === v) (sum += mirrorBytes(k, v)), size++;
          expect(cache.bytes).toBe(sum);
          expect(cache.size).toBe(size);
          expect(cache.size).toBeLessThanOrEqual(max);
          expect(cache.bytes <= maxBytes || cache.size === 1).toBe(true);
          expect(cache.get(id)).toBe(m);
        }
      }),
      { numRuns: 300 },
    );
  });
});
