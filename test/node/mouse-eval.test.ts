// `cadence eval mouse` on a tiny self-made Balabit-format data set (written here, never read from
// ../shared): conversion of the CSV rows, MM/PC/DD action splitting, and the whole evaluation in
// the challenge layout (with labels) and in the --split smoke mode.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { run } from '../../bench/eval-mouse.ts';
import { actionVector, mouseActions, MOUSE_ACTION_FEATURES } from '../../bench/lib/mouse-actions.ts';
import { balabitEvent, readBalabitSession } from '../../bench/lib/mouse-balabit.ts';
import type { BatchEvent } from '../../scoring/batch.ts';
import { rng } from '../helpers/batches.ts';

interface Style {
  /** px per ms at the peak of a reach, sideways bulge as a share of the distance, click hold ms. */
  speed: number;
  bulge: number;
  hold: number;
}

const STYLES: Record<string, Style> = {
  user1: { speed: 2.2, bulge: 0.02, hold: 70 },
  user2: { speed: 0.6, bulge: 0.25, hold: 160 },
  user3: { speed: 1.2, bulge: -0.12, hold: 110 },
};

/** A Balabit CSV session: reaches sampled every 16 ms, each ending in a click, a second's pause between. */
function session(style: Style, seed: number, actions: number): string {
  const r = rng(seed);
  const rows = ['record timestamp,client timestamp,button,state,x,y'];
  let t = 0;
  let x = 500;
  let y = 400;
  const row = (button: string, state: string) => rows.push(`${(t + 0.05).toFixed(3)},${t.toFixed(3)},${button},${state},${Math.round(x)},${Math.round(y)}`);
  for (let a = 0; a < actions; a++) {
    const tx = 100 + r() * 1000;
    const ty = 100 + r() * 600;
    const [fx, fy] = [x, y];
    const d = Math.hypot(tx - fx, ty - fy);
    const steps = Math.max(5, Math.round(d / (style.speed * 16 * 0.6)));
    for (let i = 1; i <= steps; i++) {
      const s = i / steps;
      const m = 10 * s ** 3 - 15 * s ** 4 + 6 * s ** 5;
      const side = style.bulge * d * Math.sin(Math.PI * s) * (0.8 + 0.4 * r());
      x = fx + (tx - fx) * m - ((ty - fy) / d) * side + (r() - 0.5) * 2;
      y = fy + (ty - fy) * m + ((tx - fx) / d) * side + (r() - 0.5) * 2;
      t += 0.016;
      row('NoButton', 'Move');
    }
    t += 0.05;
    row('Left', 'Pressed');
    t += (style.hold * (0.8 + 0.4 * r())) / 1000;
    row('Left', 'Released');
    t += 0.6 + r();
  }
  return rows.join('\n') + '\n';
}

let root: string;
const write = async (file: string, text: string) => {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
};

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'cadence-balabit-'));
  const labels = ['filename,is_illegal'];
  for (const [i, user] of Object.keys(STYLES).entries()) {
    await write(path.join(root, 'training_files', user, `session_${i}0`), session(STYLES[user]!, 100 + i, 40));
    // Test sessions filed under this user: one by the owner, one by the next user.
    const other = Object.keys(STYLES)[(i + 1) % 3]!;
    await write(path.join(root, 'test_files', user, `session_${i}1`), session(STYLES[user]!, 200 + i, 12));
    await write(path.join(root, 'test_files', user, `session_${i}2`), session(STYLES[other]!, 300 + i, 12));
    labels.push(`session_${i}1,0`, `session_${i}2,1`);
  }
  await write(path.join(root, 'labels.csv'), labels.join('\n') + '\n');
  // The smoke layout: two sessions per user, no test files.
  for (const [i, user] of Object.keys(STYLES).entries()) {
    await write(path.join(root, 'smoke', user, `session_a${i}`), session(STYLES[user]!, 400 + i, 40));
    await write(path.join(root, 'smoke', user, `session_b${i}`), session(STYLES[user]!, 500 + i, 30));
  }
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Runs the command, returning its exit code and the JSON of its last stdout line. */
async function evalMouse(argv: string[]): Promise<{ code: number; result: Record<string, unknown>; progress: string }> {
  let out = '';
  let err = '';
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  try {
    const code = await run([...argv, '--out', path.join(root, 'artifacts'), '--json']);
    const last = out.trim().split('\n').pop() ?? '{}';
    return { code, result: JSON.parse(last) as Record<string, unknown>, progress: err };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

describe('Balabit rows', () => {
  it('become pointer events; unusable rows are skipped', () => {
    expect(balabitEvent('0.5,0.25,NoButton,Move,10,20')).toEqual({ type: 'pointermove', t: 250, x: 10, y: 20, pointerType: 'mouse' });
    expect(balabitEvent('0.5,0.25,Left,Pressed,10,20')).toMatchObject({ type: 'pointerdown', button: 0 });
    expect(balabitEvent('0.5,0.25,Right,Released,10,20')).toMatchObject({ type: 'pointerup', button: 2 });
    expect(balabitEvent('0.5,0.25,NoButton,Drag,10,20')).toMatchObject({ type: 'pointermove', state: 'drag' });
    expect(balabitEvent('0.5,0.25,Scroll,Down,10,20')).toMatchObject({ type: 'wheel', dy: 100 });
    expect(balabitEvent('0.5,0.25,NoButton,Move,65535,20')).toBeUndefined();
    expect(balabitEvent('0.5,x,NoButton,Move,1,2')).toBeUndefined();
    expect(balabitEvent('0.5,0.25,NoButton,Hover,1,2')).toBeUndefined();
    expect(balabitEvent('garbage')).toBeUndefined();
  });

  it('are streamed from a file with a clock that never steps back', async () => {
    const file = path.join(root, 'clock.csv');
    await writeFile(file, 'record timestamp,client timestamp,button,state,x,y\n0,0.100,NoButton,Move,1,1\n0,0.090,NoButton,Move,2,2\n0,0.2,NoButton,Move,3,3\n');
    expect((await readBalabitSession(file)).map((e) => e.t)).toEqual([100, 100, 200]);
  });
});

describe('mouse actions', () => {
  const moves = (t0: number, n: number, x0: number): BatchEvent[] => Array.from({ length: n }, (_, i) => ({ type: 'pointermove', t: t0 + 16 * i, x: x0 + 10 * i, y: 100 + i * i, pointerType: 'mouse' }));

  it('are split into move, point-click and drag-drop, with finite vectors', () => {
    const events: BatchEvent[] = [
      ...moves(0, 8, 0), // a move that ends in a pause
      ...moves(1000, 8, 200), // a point-click
      { type: 'pointerdown', t: 1200, x: 270, y: 150, pointerType: 'mouse', button: 0 },
      { type: 'pointerup', t: 1290, x: 270, y: 150, pointerType: 'mouse', button: 0 },
      { type: 'pointerdown', t: 2000, x: 300, y: 100, pointerType: 'mouse', button: 0 }, // a drag
      ...moves(2016, 8, 300),
      { type: 'pointerup', t: 2200, x: 370, y: 149, pointerType: 'mouse', button: 0 },
    ];
    const actions = mouseActions(events);
    expect(actions.map((a) => a.kind)).toEqual(['move', 'click', 'drag']);
    expect(actions[1]!.hold).toBe(90);
    expect(actions[2]!.hold).toBe(200);
    for (const a of actions) {
      const v = actionVector(a);
      expect(v).toHaveLength(MOUSE_ACTION_FEATURES.length);
      expect(v.every(Number.isFinite)).toBe(true);
    }
    expect(mouseActions(moves(0, 3, 0))).toEqual([]); // too short to measure
  });
});

describe('cadence eval mouse', () => {
  it('scores labelled test sessions in the challenge layout and separates the owners', async () => {
    const { code, result, progress } = await evalMouse(['--balabit', root, '--labels', path.join(root, 'labels.csv')]);
    expect(code).toBe(0);
    expect(progress).toMatch(/read \d+\/9 sessions/);
    expect(result).toMatchObject({ mode: 'challenge', sessions: 6, genuine: 3, impostor: 3 });
    expect(Object.keys(result.per_user as object).sort()).toEqual(['user1', 'user2', 'user3']);
    // Three very different hands: every impostor session scores above every owner's session.
    expect(result.auc).toBe(1);
    expect(result.roc_svg).toMatch(/balabit-test-roc\.svg$/);
  });

  it('prints per-session scores when there are no labels', async () => {
    const { code, result } = await evalMouse(['--balabit', root]);
    expect(code).toBe(0);
    expect(Object.keys(result.scores as object)).toHaveLength(6);
    expect(result.auc).toBeUndefined();
  });

  it('--split holds out segments of the last session and scores them against every model', async () => {
    const { code, result } = await evalMouse(['--balabit', path.join(root, 'smoke'), '--split', '--segment', '10']);
    expect(code).toBe(0);
    expect(result.mode).toBe('split (smoke check)');
    // 30 held-out actions per user in segments of 10, each scored by 3 models.
    expect(result).toMatchObject({ sessions: 9, trials: 27, genuine: 9, impostor: 18 });
    expect(result.auc as number).toBeGreaterThan(0.9);
  });

  it('refuses a directory without test sessions unless asked for a split', async () => {
    await expect(evalMouse(['--balabit', path.join(root, 'smoke')])).rejects.toThrow(/--split/);
  });
});
