// The edge's mirror of sessions' evidence (edge/session-evidence-cache.ts) stays within its bounds in
// sessions and in estimated bytes, forgetting the least recently seen first.
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
    expect(mirrorBytes('s', mirror(80)) - mirrorBytes('s', mirror(0))).toBe(80 * 3 * 8);
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
});
