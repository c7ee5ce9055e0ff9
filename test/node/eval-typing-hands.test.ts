// bench/eval-typing-hands.ts: the rank-sum z of same-hand against alternate-hand letter pairs.
import { describe, expect, it } from 'vitest';
import { handZ } from '../../bench/eval-typing-hands.ts';
import { Rng } from '../../scoring/models/rng.ts';

const text = 'the quick brown fox jumps over the lazy dog while we were sitting at home reading'.repeat(3).replace(/ /g, '');
const LEFT = new Set('qwertasdfgzxcvb');

describe('typing-hands: same-hand against alternate-hand letter pairs', () => {
  it('is large for a typist slower on one hand, near 0 for draws that ignore the keys, and skips pauses and other keys', () => {
    const rng = new Rng(5);
    let t = 0;
    const person = [...text].map((letter, i) => {
      const same = i > 0 && LEFT.has(letter) === LEFT.has(text[i - 1]!);
      t += (same ? 190 : 130) + 40 * rng.normal();
      return { down: t, letter };
    });
    expect(handZ(person).z).toBeGreaterThan(4);
    t = 0;
    const program = [...text].map((letter) => ({ down: (t += 100 + 100 * rng.float()), letter }));
    expect(Math.abs(handZ(program).z)).toBeLessThan(3);
    // A pause, a space and a digit are not letter pairs.
    expect(handZ([{ down: 0, letter: 'a' }, { down: 2000, letter: 's' }, { down: 2100, letter: ' ' }, { down: 2200, letter: '5' }]).pairs).toBe(0);
  });
});
