// `cadence eval mouse --balabit DIR [--labels FILE] [--split] [--json]`: per-user mouse verification
// on the Balabit Mouse Dynamics Challenge layout. Each session becomes MM/PC/DD actions, each action a
// feature vector; a user's fused detector (scoring/detectors) is fitted on the actions of their
// training sessions, every action of a test session is scored and the session's score is the mean
// (Antal & Egyed-Zsigmond 2019 score actions and average them over a session). Reports the ROC AUC
// over test sessions, pooled and per user, as the challenge does. `both` (default) adds a
// discriminative member: an MLP separating the owner's training actions from the other enrolled
// users' training actions (the challenge publishes every user's training files).
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { flag, intOption, option } from './lib/args.ts';
import { rocAuc } from './lib/auc.ts';
import { listSessions, readBalabitSession, readLabels, type SessionFile } from './lib/mouse-balabit.ts';
import { actionVector, mouseActions, MOUSE_ACTION_FEATURES } from '../scoring/features/mouse-actions.ts';
import { rocSummary, rocSvg } from './lib/roc.ts';
import { fitFusion } from '../scoring/detectors/fusion.ts';
import { userDetectorFits } from '../scoring/detectors/recipe.ts';
import type { Rows } from '../scoring/detectors/types.ts';
import { slogRows } from '../scoring/detectors/transform.ts';
import { trainMlp } from '../scoring/models/mlp.ts';
import { buildKernels } from '../cli/build.ts';
import { loadKernels } from '../wasm/node.ts';

const USAGE =
  'usage: cadence eval mouse --balabit DIR [--labels FILE] [--split] [--segment N] [--max-train N] [--detector both|fused|mlp]\n' +
  '       [--mlp-weight W] [--aggregate trimmed|mean|median] [--score plain|cohort] [--trees N] [--out DIR] [--json]\n' +
  '  DIR holds training_files/userN/session_* and test_files/userN/session_* (the challenge layout);\n' +
  '  --split (smoke check, not the challenge protocol): DIR (or DIR/training_files) holds userN/session_*;\n' +
  "  each user's last session is held out and cut into segments of N actions (default 50), scored against\n" +
  "  every user's model: the owner's segments are genuine, everyone else's are impostors.\n";

const DEFAULT_DIR = fileURLToPath(new URL('../../shared/datasets/mouse/balabit-training', import.meta.url));

interface Unit {
  /** Who produced the actions. */
  owner: string;
  name: string;
  rows: Rows;
  /** Challenge mode: the user directory the session was filed under, and its label if known. */
  claimed?: string;
  illegal?: 0 | 1;
}

interface Trial {
  unit: number;
  claimed: string;
  /** 1 when the actions are not the claimed user's. */
  illegal: 0 | 1;
}

const DIMS = MOUSE_ACTION_FEATURES.length;

export async function run(argv: string[]): Promise<number> {
  const split = flag(argv, 'split');
  const dir = option(argv, 'balabit') ?? (split && existsSync(DEFAULT_DIR) ? DEFAULT_DIR : undefined);
  if (!dir) {
    process.stderr.write(USAGE);
    return 2;
  }
  const labelsFile = option(argv, 'labels');
  const segment = intOption(argv, 'segment', 50);
  const maxTrain = intOption(argv, 'max-train', 1500);
  const trees = intOption(argv, 'trees', 100);
  const scoreMode = option(argv, 'score') ?? 'plain';
  if (scoreMode !== 'plain' && scoreMode !== 'cohort') throw new Error('--score must be plain or cohort');
  const detector = option(argv, 'detector') ?? 'both';
  if (!['fused', 'mlp', 'both'].includes(detector)) throw new Error('--detector must be fused, mlp or both');
  const mlpWeight = Number(option(argv, 'mlp-weight') ?? 10);
  const aggregate = option(argv, 'aggregate') ?? 'trimmed';
  if (!(aggregate in AGGREGATES)) throw new Error(`--aggregate must be one of ${Object.keys(AGGREGATES).join(', ')}`);
  const outDir = option(argv, 'out') ?? 'artifacts';
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;

  // 1. Sessions -> action rows, one session in memory at a time.
  const trainDir = existsSync(path.join(dir, 'training_files')) ? path.join(dir, 'training_files') : dir;
  const trainFiles = await listSessions(trainDir);
  const testFiles = split ? [] : await listSessions(path.join(dir, 'test_files'));
  if (trainFiles.length === 0) throw new Error(`no userN/session_* files under ${trainDir}`);
  if (!split && testFiles.length === 0) throw new Error(`no test sessions under ${path.join(dir, 'test_files')}: pass --split for a smoke check on training sessions only`);
  const labels = labelsFile ? await readLabels(labelsFile) : undefined;

  let events = 0;
  let done = 0;
  const total = trainFiles.length + testFiles.length;
  const featurise = async (f: SessionFile): Promise<Rows> => {
    const ev = await readBalabitSession(f.file);
    events += ev.length;
    const actions = mouseActions(ev);
    const data = new Float64Array(actions.length * DIMS);
    actions.forEach((a, i) => data.set(actionVector(a), i * DIMS));
    done++;
    if (done % 5 === 0 || done === total) process.stderr.write(`  read ${done}/${total} sessions, ${events} events, ${elapsed()}\n`);
    return { data, dims: DIMS };
  };

  const training = new Map<string, Rows[]>();
  const units: Unit[] = [];
  if (split) {
    const byUser = groupBy(trainFiles, (f) => f.user);
    for (const [user, files] of byUser) {
      const rows = [];
      for (const f of files) rows.push(await featurise(f));
      // Hold out the last session; a user with a single session gives its second half.
      let train: Rows[];
      let held: Rows;
      if (rows.length > 1) {
        train = rows.slice(0, -1);
        held = rows[rows.length - 1]!;
      } else {
        const n = count(rows[0]!);
        train = [slice(rows[0]!, 0, Math.floor(n / 2))];
        held = slice(rows[0]!, Math.floor(n / 2), n);
      }
      training.set(user, train);
      const n = count(held);
      for (let s = 0, k = 0; s + segment <= n; s += segment, k++) units.push({ owner: user, name: `${user}/segment_${k}`, rows: slice(held, s, s + segment) });
    }
  } else {
    for (const [user, files] of groupBy(trainFiles, (f) => f.user)) {
      const rows = [];
      for (const f of files) rows.push(await featurise(f));
      training.set(user, rows);
    }
    for (const f of testFiles) {
      const illegal = labels?.get(f.session);
      units.push({ owner: f.user, claimed: f.user, name: `${f.user}/${f.session}`, rows: await featurise(f), ...(illegal !== undefined ? { illegal } : {}) });
    }
  }
  const users = [...training.keys()];
  process.stderr.write(`${trainDir}: ${users.length} users, ${units.length} test ${split ? 'segments' : 'sessions'}, ${MOUSE_ACTION_FEATURES.length} action features, ${elapsed()}\n`);

  // 2. One fused detector per user on (at most maxTrain, evenly spaced) training actions.
  await buildKernels();
  const kernels = await loadKernels();
  const loadForest = (m: Parameters<typeof kernels.loadForest>[0]) => kernels.loadForest(m);
  const thinned = new Map(users.map((u) => [u, thin(concat(training.get(u)!), maxTrain)]));
  const matrix = new Map<string, Float64Array>();
  const fusedMatrix = new Map<string, Float64Array>();
  const mlpMatrix = new Map<string, Float64Array>();
  for (const user of users) {
    const train = thinned.get(user)!;
    const n = count(train);
    if (n < 10) throw new Error(`${user}: only ${n} training actions`);
    // Every unit under this user's model: the aggregated score of its actions.
    if (detector !== 'mlp') {
      const m = fitFusion(train, userDetectorFits({ scaledManhattan: kernels.scaledManhattan, loadForest }, n, { trees }));
      fusedMatrix.set(user, Float64Array.from(units, (u) => (count(u.rows) ? AGGREGATES[aggregate]!(m.score(u.rows)) : 0)));
      m.dispose?.();
    }
    if (detector !== 'fused') {
      // Discriminative: the owner's training actions against the other enrolled users' (as the
      // challenge allows: every user's training files are known), probability of "not the owner".
      const others = thin(concat(users.filter((u) => u !== user).map((u) => thinned.get(u)!)), n);
      const x = slogRows(concat([train, others]));
      const y = Float64Array.from({ length: n + count(others) }, (_, i) => (i < n ? 0 : 1));
      const { model } = trainMlp(x.data, y, DIMS, { hidden: [64, 32], maxEpochs: 60, patience: 6, seed: 1 });
      const k = kernels.loadMlp(model);
      mlpMatrix.set(user, Float64Array.from(units, (u) => (count(u.rows) ? AGGREGATES[aggregate]!(k.score(slogRows(u.rows).data)) : 0.5)));
      k.dispose();
    }
    process.stderr.write(`  ${user}: fitted on ${n} actions and scored ${units.length} units, ${elapsed()}\n`);
  }
  for (const user of users) {
    const f = fusedMatrix.get(user);
    const m = mlpMatrix.get(user);
    // Both: the MLP's probability moved to the fused detector's units (0 typical, 1 at the edge).
    matrix.set(user, detector === 'fused' ? f! : detector === 'mlp' ? m! : f!.map((v, i) => v + mlpWeight * (m![i]! - 0.5)));
  }

  // Cohort normalisation (as in speaker verification): how much less like the claimed user than
  // like the other enrolled users; uses only training data, never test labels.
  const sessionScore = (claimed: string, unit: number) => {
    const own = matrix.get(claimed)![unit]!;
    if (scoreMode === 'plain' || users.length < 2) return own;
    let s = 0;
    for (const u of users) if (u !== claimed) s += matrix.get(u)![unit]!;
    return own - s / (users.length - 1);
  };

  const trials: Trial[] = [];
  if (split) {
    for (const claimed of users) units.forEach((u, i) => trials.push({ unit: i, claimed, illegal: u.owner === claimed ? 0 : 1 }));
  } else {
    units.forEach((u, i) => {
      if (u.illegal !== undefined) trials.push({ unit: i, claimed: u.claimed!, illegal: u.illegal });
    });
  }

  const result: Record<string, unknown> = { mode: split ? 'split (smoke check)' : 'challenge', detector, aggregate, score: scoreMode, users: users.length };
  if (trials.length === 0) {
    // No labels: the per-session scores are the output.
    const scores: Record<string, number> = {};
    units.forEach((u, i) => (scores[u.name] = round(sessionScore(u.claimed!, i))));
    result.sessions = units.length;
    result.scores = scores;
    process.stderr.write(`no labels: per-session scores only (higher = less like the owner)\n`);
  } else {
    const scores = trials.map((t) => sessionScore(t.claimed, t.unit));
    const illegal = trials.map((t) => t.illegal);
    const auc = rocAuc(scores, illegal);
    const perUser: Record<string, number> = {};
    // The one-class fusion alone (no other user's data), for comparison.
    const oneClass = fusedMatrix.size ? rocAuc(trials.map((t) => fusedMatrix.get(t.claimed)![t.unit]!), illegal) : Number.NaN;
    for (const user of users) {
      const idx = trials.map((t, i) => (t.claimed === user ? i : -1)).filter((i) => i >= 0);
      const a = rocAuc(idx.map((i) => scores[i]!), idx.map((i) => illegal[i]!));
      if (Number.isFinite(a)) perUser[user] = round(a);
    }
    const genuine = scores.filter((_, i) => !illegal[i]);
    const impostor = scores.filter((_, i) => illegal[i]);
    const roc = rocSummary(genuine, impostor);
    const userAucs = Object.values(perUser);
    Object.assign(result, {
      sessions: split ? units.length : trials.length,
      trials: trials.length,
      genuine: genuine.length,
      impostor: impostor.length,
      ...(split ? { segment_actions: segment } : {}),
      auc: round(auc),
      eer: round(roc.eer),
      mean_user_auc: round(userAucs.reduce((s, v) => s + v, 0) / Math.max(1, userAucs.length)),
      ...(Number.isFinite(oneClass) ? { auc_one_class: round(oneClass) } : {}),
      per_user: perUser,
    });
    process.stderr.write(`\nAUC ${auc.toFixed(4)} (${detector}, ${scoreMode}; one-class fusion alone ${oneClass.toFixed(4)}), EER ${roc.eer.toFixed(4)} over ${trials.length} trials (${genuine.length} genuine, ${impostor.length} impostor)\n`);
    for (const [u, a] of Object.entries(perUser)) process.stderr.write(`  ${u.padEnd(8)} ${a.toFixed(4)}\n`);
    await mkdir(outDir, { recursive: true });
    const svgPath = path.join(outDir, `balabit-${split ? 'split' : 'test'}-roc.svg`);
    await writeFile(svgPath, rocSvg(`Balabit mouse, ${split ? `held-out segments of ${segment} actions (smoke)` : 'test sessions'}: AUC ${auc.toFixed(3)}`, [{ name: `fused, ${scoreMode} (AUC ${auc.toFixed(3)})`, curve: roc.curve }]));
    result.roc_svg = svgPath;
    process.stderr.write(`ROC plot: ${svgPath}\n`);
  }
  result.seconds = round((performance.now() - started) / 1000);
  if (flag(argv, 'json')) process.stdout.write(`${JSON.stringify(result)}\n`);
  return 0;
}

function groupBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    const list = out.get(k);
    if (list) list.push(x);
    else out.set(k, [x]);
  }
  return out;
}

function count(r: Rows): number {
  return r.dims ? r.data.length / r.dims : 0;
}

function slice(r: Rows, from: number, to: number): Rows {
  return { data: r.data.slice(from * r.dims, to * r.dims), dims: r.dims };
}

function concat(parts: readonly Rows[]): Rows {
  const data = new Float64Array(parts.reduce((s, p) => s + p.data.length, 0));
  let at = 0;
  for (const p of parts) {
    data.set(p.data, at);
    at += p.data.length;
  }
  return { data, dims: DIMS };
}

/** At most `max` rows, evenly spaced over the whole training time (bounded fitting cost). */
function thin(r: Rows, max: number): Rows {
  const n = count(r);
  if (n <= max) return r;
  const data = new Float64Array(max * r.dims);
  for (let i = 0; i < max; i++) data.set(r.data.subarray(Math.floor((i * n) / max) * r.dims, (Math.floor((i * n) / max) + 1) * r.dims), i * r.dims);
  return { data, dims: r.dims };
}

function mean(xs: Float64Array): number {
  let s = 0;
  for (const x of xs) s += x;
  return xs.length ? s / xs.length : 0;
}

/** Mean of the middle 80 %: one wild action (a hand leaving the mouse) should not decide a session. */
function trimmed(xs: Float64Array): number {
  const s = [...xs].sort((a, b) => a - b);
  const cut = Math.floor(s.length * 0.1);
  return mean(Float64Array.from(s.slice(cut, s.length - cut || undefined)));
}

function median(xs: Float64Array): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2 : 0;
}

const AGGREGATES: Record<string, (xs: Float64Array) => number> = { mean, trimmed, median };

function round(v: number): number {
  return Math.round(v * 10000) / 10000;
}
