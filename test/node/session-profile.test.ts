// The mean of a logged-in session's windows that the user's model scores for the session's evidence
// (core/enrolment/session-profile.ts): a retried batch counts once, the newest windows only, bounded.
import { describe, expect, it } from 'vitest';
import { createSessionProfiles } from '../../core/enrolment/session-profile.ts';
import { WINDOW_FEATURES } from '../../core/enrolment/windows.ts';

const v = (x: number) => new Float64Array(WINDOW_FEATURES.length).fill(x);

describe('session profiles', () => {
  it('averages the session\'s windows, counting a retried batch once', () => {
    const p = createSessionProfiles(10, 20);
    expect(p.add('s1', 'b1', v(1))[0]).toBe(1);
    expect(p.add('s1', 'b2', v(3))[0]).toBe(2);
    expect(p.add('s1', 'b2', v(3))[0]).toBe(2);
    // Another session has its own mean.
    expect(p.add('s2', 'b1', v(10))[0]).toBe(10);
  });
  it('keeps the newest windows of a session and the most recently used sessions', () => {
    const p = createSessionProfiles(2, 2);
    p.add('s1', 'b1', v(1));
    p.add('s1', 'b2', v(2));
    expect(p.add('s1', 'b3', v(4))[0]).toBe(3);
    p.add('s2', 'b1', v(0));
    p.add('s1', 'b4', v(4)); // s1 used last: s2 is the oldest
    p.add('s3', 'b1', v(0));
    expect(p.size()).toBe(2);
    expect(p.add('s1', 'b5', v(6))[0]).toBe(5);
    expect(p.add('s2', 'b2', v(7))[0]).toBe(7); // s2 was dropped: its mean starts again
  });
});
