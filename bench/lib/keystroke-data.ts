// Readers that turn public keystroke data sets into Cadence event windows (keydown/keyup with key
// classes), so that every evaluation goes through the same feature extraction as live traffic.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BatchEvent, KeyClass } from '../../scoring/batch.ts';

export interface Window {
  subject: string;
  events: BatchEvent[];
}

export function keyClassOf(name: string): KeyClass {
  const k = name.toLowerCase();
  if (/^[a-z]$/.test(k)) return 'letter';
  if (/^[0-9]$/.test(k) || ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'zero'].includes(k)) return 'digit';
  if (k === ' ' || k === 'space') return 'space';
  if (k === 'backspace' || k === 'bksp' || k === 'delete') return 'backspace';
  if (k === 'enter' || k === 'return') return 'enter';
  if (k === 'shift' || k.startsWith('shift')) return k === 'shift' ? 'shift' : 'letter';
  if (['ctrl', 'alt', 'meta', 'control', 'caps_lock', 'capslock'].includes(k)) return 'modifier';
  if (k === 'tab') return 'tab';
  if (k.startsWith('arrow')) return 'arrow';
  if (k.length === 1 || ['period', 'comma'].includes(k)) return 'punctuation';
  return 'other';
}

function eventsFromStrokes(strokes: { down: number; up: number; key: KeyClass }[]): BatchEvent[] {
  const events: BatchEvent[] = [];
  const t0 = Math.min(...strokes.map((s) => s.down));
  // Position = order typed, so fixed-text features can pair each key's down and up exactly.
  strokes.forEach((s, position) => {
    events.push({ type: 'keydown', t: s.down - t0, keyClass: s.key, position });
    events.push({ type: 'keyup', t: s.up - t0, keyClass: s.key, position });
  });
  return events.sort((a, b) => a.t - b.t);
}

/** Aalto 136M keystrokes raw files: one window per participant and test section (sentence). */
export async function readAalto(dir: string): Promise<Window[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('_keystrokes.txt')).sort();
  const windows: Window[] = [];
  for (const file of files) {
    const lines = (await readFile(path.join(dir, file), 'latin1')).split('\n').slice(1);
    const bySection = new Map<string, { subject: string; strokes: { down: number; up: number; key: KeyClass }[] }>();
    for (const line of lines) {
      const cols = line.split('\t');
      if (cols.length < 9) continue;
      const down = Number(cols[5]);
      const up = Number(cols[6]);
      if (!Number.isFinite(down) || !Number.isFinite(up)) continue;
      const section = `${cols[0]}:${cols[1]}`;
      let entry = bySection.get(section);
      if (!entry) bySection.set(section, (entry = { subject: cols[0]!, strokes: [] }));
      entry.strokes.push({ down, up, key: keyClassOf(cols[7] ?? '') });
    }
    for (const { subject, strokes } of bySection.values()) windows.push({ subject, events: eventsFromStrokes(strokes) });
  }
  return windows;
}

/** CMU DSL-StrongPasswordData layout: per row H.k, DD.k1.k2, UD.k1.k2 in seconds. */
export async function readCmu(file: string): Promise<Window[]> {
  const [header, ...rows] = (await readFile(file, 'utf8')).trim().split(/\r?\n/);
  const unquote = (s: string) => s.replace(/^"|"$/g, '');
  const cols = header!.split(',').map(unquote);
  // Columns come as H.k, DD.k.next, UD.k.next, H.next, ...: a key's DD is the column after its H.
  const holdCols = cols.map((c, i) => [c, i] as const).filter(([c]) => c.startsWith('H.'));
  const subjectCol = cols.indexOf('subject');
  return rows.map((row) => {
    const v = row.split(',').map(unquote);
    let down = 0;
    const strokes = holdCols.map(([c, i]) => {
      const key = c.slice(2);
      const s = { down: down * 1000, up: (down + Number(v[i])) * 1000, key: keyClassOf(key.replace(/^Shift\./, 'Shift')) };
      if (cols[i + 1]?.startsWith('DD.')) down += Number(v[i + 1]);
      return s;
    });
    return { subject: v[subjectCol]!, events: eventsFromStrokes(strokes) };
  });
}

/** Kaggle "Keystroke Dynamics Challenge 1" layout: `user,press-0,release-0,...` in ms. */
export async function readPressRelease(file: string): Promise<Window[]> {
  const [header, ...rows] = (await readFile(file, 'utf8')).trim().split(/\r?\n/);
  const cols = header!.split(',').map((c) => c.trim().replace(/^"|"$/g, ''));
  const subjectCol = cols.findIndex((c) => c === 'user' || c === 'subject');
  const keys: { press: number; release: number }[] = [];
  for (let i = 0; ; i++) {
    const press = cols.indexOf(`press-${i}`);
    const release = cols.indexOf(`release-${i}`);
    if (press < 0 || release < 0) break;
    keys.push({ press, release });
  }
  if (subjectCol < 0 || keys.length === 0) throw new Error(`${file}: expected columns user,press-0,release-0,...`);
  const windows: Window[] = [];
  for (const row of rows) {
    const v = row.split(',');
    const strokes = keys.map(({ press, release }) => ({ down: Number(v[press]), up: Number(v[release]), key: 'letter' as KeyClass }));
    if (strokes.some((s) => !Number.isFinite(s.down) || !Number.isFinite(s.up))) continue;
    windows.push({ subject: v[subjectCol]!.trim(), events: eventsFromStrokes(strokes) });
  }
  return windows;
}

/** Any CSV with a `subject` column and numeric features; `sessionIndex`, `rep` and unnamed columns are ignored. */
export async function readVectors(file: string): Promise<{ features: string[]; rows: { subject: string; vector: Float64Array }[] }> {
  const [header, ...lines] = (await readFile(file, 'utf8')).trim().split(/\r?\n/);
  const unquote = (s: string) => s.trim().replace(/^"|"$/g, '');
  const cols = header!.split(',').map(unquote);
  const subjectCol = cols.findIndex((c) => c.toLowerCase() === 'subject' || c.toLowerCase() === 'user');
  if (subjectCol < 0) throw new Error(`${file}: no subject column`);
  const featureCols = cols.map((c, i) => [c, i] as const).filter(([c, i]) => i !== subjectCol && c !== '' && c !== 'sessionIndex' && c !== 'rep');
  const rows: { subject: string; vector: Float64Array }[] = [];
  for (const line of lines) {
    if (line.trim() === '') continue;
    const v = line.split(',').map(unquote);
    const vector = Float64Array.from(featureCols, ([, i]) => Number(v[i]));
    if (vector.some((x) => !Number.isFinite(x))) continue;
    rows.push({ subject: v[subjectCol]!, vector });
  }
  return { features: featureCols.map(([c]) => c), rows };
}
