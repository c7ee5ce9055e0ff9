// The mean of a logged-in session's judged windows so far, per session (issue 18): the user's model
// scores this mean as well as the window. A typist's windows scatter around their own centre; over a
// session the mean settles on it, so an owner's mean falls inside their profile and someone else's
// stays outside, where single 3-s windows overlap (CMU, 20 enrolment windows, 10-window sessions:
// session EER 0.069 scoring the mean vector, 0.098 averaging the windows' risks; see
// docs/accuracy.md). Kept in memory, bounded: a restarted core starts the mean again from the next
// window, and a retried batch (same id) counts once.
import { WINDOW_FEATURES } from './windows.ts';

/** Newest windows in a session's mean (a long session follows the typist's own drift). */
export const SESSION_PROFILE_WINDOWS = 20;
/** Sessions kept; the least recently used goes first. */
const MAX_SESSIONS = 5000;

export function createSessionProfiles(maxSessions = MAX_SESSIONS, maxWindows = SESSION_PROFILE_WINDOWS) {
  const sessions = new Map<string, Map<string, Float64Array>>();
  return {
    /** Adds the window (once per batch id) and returns the mean of the session's newest windows. */
    add(sessionId: string, batchId: string, vector: Float64Array): Float64Array {
      let windows = sessions.get(sessionId);
      if (windows) sessions.delete(sessionId);
      else windows = new Map();
      sessions.set(sessionId, windows); // most recently used last
      if (!windows.has(batchId)) {
        windows.set(batchId, vector);
        if (windows.size > maxWindows) windows.delete(windows.keys().next().value!);
      }
      if (sessions.size > maxSessions) sessions.delete(sessions.keys().next().value!);
      return meanOf([...windows.values()]);
    },
    size: () => sessions.size,
  };
}

/** The windows' mean vector (keystroke or pointer windows: the width is the windows' own). */
export function meanOf(windows: readonly Float64Array[]): Float64Array {
  const m = new Float64Array(windows[0]?.length ?? WINDOW_FEATURES.length);
  for (const w of windows) for (let j = 0; j < m.length; j++) m[j] = m[j]! + w[j]! / windows.length;
  return m;
}

export type SessionProfiles = ReturnType<typeof createSessionProfiles>;
