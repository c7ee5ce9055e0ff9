// Reader for the Balabit Mouse Dynamics Challenge layout (training_files/userN/session_*,
// test_files/userN/session_*, labels CSV `filename,is_illegal`): each session is stream-parsed line
// by line into Cadence pointer events, so only one session's events are in memory at a time.
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { BatchEvent } from '../../scoring/batch.ts';

export interface SessionFile {
  user: string;
  session: string;
  file: string;
}

/** Off-screen sentinels (e.g. 65535) appear in the raw files; such rows carry no movement. */
const MAX_COORDINATE = 20_000;

const BUTTONS: Record<string, number> = { Left: 0, Middle: 1, Right: 2 };

/** Converts one CSV row `record timestamp,client timestamp,button,state,x,y`; undefined when unusable. */
export function balabitEvent(line: string): BatchEvent | undefined {
  const parts = line.split(',');
  if (parts.length < 6) return undefined;
  const t = Number(parts[1]) * 1000;
  const button = parts[2]!.trim();
  const state = parts[3]!.trim();
  const x = Number(parts[4]);
  const y = Number(parts[5]);
  if (!Number.isFinite(t) || t < 0 || !Number.isFinite(x) || !Number.isFinite(y)) return undefined;
  if (Math.abs(x) > MAX_COORDINATE || Math.abs(y) > MAX_COORDINATE) return undefined;
  switch (state) {
    case 'Move':
      return { type: 'pointermove', t, x, y, pointerType: 'mouse' };
    case 'Drag':
      return { type: 'pointermove', t, x, y, pointerType: 'mouse', state: 'drag' };
    case 'Pressed':
      return { type: 'pointerdown', t, x, y, pointerType: 'mouse', button: BUTTONS[button] ?? 0 };
    case 'Released':
      return { type: 'pointerup', t, x, y, pointerType: 'mouse', button: BUTTONS[button] ?? 0 };
    case 'Down':
    case 'Up':
      return { type: 'wheel', t, x, y, dy: state === 'Down' ? 100 : -100 };
    default:
      return undefined;
  }
}

/** Streams one session file into events with non-decreasing `t` (the client clock sometimes steps back). */
export async function readBalabitSession(file: string): Promise<BatchEvent[]> {
  const events: BatchEvent[] = [];
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let header = true;
  let last = 0;
  for await (const line of lines) {
    if (header) {
      header = false;
      if (/timestamp/i.test(line)) continue;
    }
    const e = balabitEvent(line);
    if (!e) continue;
    if (e.t < last) e.t = last;
    last = e.t;
    events.push(e);
  }
  return events;
}

/** Session files under `dir/userN/session_*`, sorted by user then session; [] when `dir` is absent. */
export async function listSessions(dir: string): Promise<SessionFile[]> {
  let users: string[];
  try {
    users = (await readdir(dir)).filter((u) => /^user/i.test(u)).sort(byNumber);
  } catch {
    return [];
  }
  const out: SessionFile[] = [];
  for (const user of users) {
    const udir = path.join(dir, user);
    if (!(await stat(udir)).isDirectory()) continue;
    for (const session of (await readdir(udir)).filter((s) => s.startsWith('session_')).sort()) out.push({ user, session, file: path.join(udir, session) });
  }
  return out;
}

/** The challenge's labels: `filename,is_illegal` (filename may be `session_X` or a path ending in it). */
export async function readLabels(file: string): Promise<Map<string, 0 | 1>> {
  const labels = new Map<string, 0 | 1>();
  for (const line of (await readFile(file, 'utf8')).split(/\r?\n/)) {
    const [name, flag] = line.split(',').map((s) => s.trim());
    if (!name || flag === undefined || !/^[01](\.0)?$/.test(flag)) continue;
    labels.set(path.basename(name), Number(flag) ? 1 : 0);
  }
  return labels;
}

function byNumber(a: string, b: string): number {
  const na = Number(a.replace(/\D/g, ''));
  const nb = Number(b.replace(/\D/g, ''));
  return na - nb || a.localeCompare(b);
}
