// The held-out red team (bench/lib/heldout-bots.ts) sends what a collector would: every window is a
// valid batch, and each family exercises only its own modality.
import { describe, expect, it } from 'vitest';
import { cut } from '../../bench/lib/corpus.ts';
import { HELDOUT_FAMILIES, heldoutSessions } from '../../bench/lib/heldout-bots.ts';
import { parseBatch } from '../../scoring/batch.ts';

describe('held-out bots', () => {
  const sessions = heldoutSessions(3, 5);

  it('are valid batches, window by window, for every family', () => {
    expect(new Set(sessions.map((s) => s.family))).toEqual(new Set(HELDOUT_FAMILIES));
    for (const s of sessions) {
      for (const [i, events] of s.pages.flatMap((p) => cut(p.events)).entries()) {
        const parsed = parseBatch({ sessionId: s.id, batchId: `${s.id}.${i}`, seq: i, consent: true, events });
        expect(parsed.ok, `${s.id} window ${i}: ${parsed.ok ? '' : parsed.problem.message}`).toBe(true);
      }
    }
  });

  it('type without a pointer, or point and paste without typing', () => {
    for (const s of sessions) {
      const events = s.pages.flatMap((p) => p.events);
      const moves = events.filter((e) => e.type === 'pointermove').length;
      const letters = events.filter((e) => e.type === 'keydown' && e.keyClass === 'letter').length;
      if (s.family.endsWith('-typing')) expect([moves, letters > 20]).toEqual([0, true]);
      else expect([moves > 20, letters <= 6]).toEqual([true, true]); // the pastes' Ctrl+V only
    }
  });

  it('library pointer families move at integer pixels and report no move that stays put', () => {
    for (const s of sessions.filter((x) => ['ghost-cursor-overshoot', 'humancursor-curve', 'undershoot-correct'].includes(x.family))) {
      for (const page of s.pages) {
        const moves = page.events.filter((e) => e.type === 'pointermove');
        expect(moves.every((e) => Number.isInteger(e.x) && Number.isInteger(e.y))).toBe(true);
        expect(moves.slice(1).every((e, i) => e.x !== moves[i]!.x || e.y !== moves[i]!.y)).toBe(true);
      }
    }
  });

  it('are the same for the same seed and differ between seeds', () => {
    expect(heldoutSessions(2, 5)).toEqual(heldoutSessions(2, 5));
    expect(heldoutSessions(2, 6)).not.toEqual(heldoutSessions(2, 5));
  });
});
