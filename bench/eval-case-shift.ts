// `cadence eval case-shift [--data DIR] [--json]`: how often people's letters contradict their Shift
// key, as the collector counts them (collector/index.ts, checkCase) and as the live rule judges the
// count (scoring/features/automation.ts, `case_without_shift`, and `capital_without_shift` for one letter), on the raw key events of the Aalto
// 136M Keystrokes study (Dhakal et al., CHI 2018; DIR/keystroke/aalto-raw, default ../shared/datasets).
//
// Per sentence (about one collector window): a letter with case is checked unless CapsLock is on
// (its presses are in the file); Shift is held when a Shift press came before the letter's press and
// its release after it. The file has no modifier state, so a Shift released in the very millisecond
// of the next press counts as released (the browser's shiftKey is exact). The collector also
// abstains on Ctrl/Alt/Meta and right after a Shift release (Sticky Keys), which this file cannot
// show: the figure here is the stricter one.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { automationSignals } from '../scoring/features/automation.ts';
import { flag, option } from './lib/args.ts';

interface Sentence {
  subject: string;
  mismatched: number;
  checked: number;
}

async function sentences(dir: string): Promise<Sentence[]> {
  const out: Sentence[] = [];
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('_keystrokes.txt')).sort()) {
    const rows = (await readFile(path.join(dir, file), 'utf8')).split('\n').slice(1).map((l) => l.split('\t')).filter((c) => c.length >= 9);
    const bySection = new Map<string, string[][]>();
    for (const c of rows) {
      const key = `${c[0]}:${c[1]}`;
      const list = bySection.get(key);
      if (list) list.push(c);
      else bySection.set(key, [c]);
    }
    for (const list of bySection.values()) {
      list.sort((a, b) => Number(a[5]) - Number(b[5]));
      const shifts: [number, number][] = [];
      let caps = false;
      let mismatched = 0;
      let checked = 0;
      for (const c of list) {
        const letter = c[7]!;
        const down = Number(c[5]);
        if (letter === 'SHIFT') shifts.push([down, Number(c[6])]);
        else if (letter === 'CAPS_LOCK') caps = !caps;
        else if ([...letter].length === 1 && letter.toLowerCase() !== letter.toUpperCase() && !caps) {
          const shift = shifts.some(([d, u]) => d <= down && down < u);
          checked++;
          if ((letter !== letter.toLowerCase()) !== shift) mismatched++;
        }
      }
      out.push({ subject: list[0]![0]!, mismatched, checked });
    }
  }
  return out;
}

export async function run(argv: string[]): Promise<number | void> {
  const root = fileURLToPath(new URL('../', import.meta.url));
  const data = option(argv, '--data') ?? path.join(root, '..', 'shared', 'datasets');
  const dir = path.join(data, 'keystroke', 'aalto-raw');
  if (!existsSync(dir)) {
    process.stderr.write(`eval case-shift: ${dir} not found (--data DIR)\n`);
    return 2;
  }
  const all = await sentences(dir);
  // The live rule, fed what the collector would have sent for the sentence.
  const signalsOf = (s: Sentence) => (s.mismatched > 0 ? automationSignals([{ type: 'environment', t: 0, state: `case:${s.mismatched}/${s.checked}` }]).signals : []);
  const fired = all.filter((s) => signalsOf(s).includes('case_without_shift'));
  const once = all.filter((s) => signalsOf(s).includes('capital_without_shift'));
  const result = {
    subjects: new Set(all.map((s) => s.subject)).size,
    sentences: all.length,
    letters: all.reduce((n, s) => n + s.checked, 0),
    mismatched: all.reduce((n, s) => n + s.mismatched, 0),
    sentencesWithMismatch: all.filter((s) => s.mismatched > 0).map((s) => `${s.subject}: ${s.mismatched}/${s.checked}`),
    sentencesFiring: fired.length,
    sentencesFiringOnce: once.length,
  };
  if (flag(argv, '--json')) process.stdout.write(`${JSON.stringify(result)}\n`);
  else {
    process.stdout.write(
      `aalto-raw: ${result.subjects} people, ${result.sentences} sentences, ${result.letters} letters checked, ${result.mismatched} against Shift ` +
        `(${result.sentencesWithMismatch.join('; ') || 'none'}); case_without_shift fires on ${result.sentencesFiring} of ${result.sentences} sentences, capital_without_shift (one letter) on ${result.sentencesFiringOnce}\n`,
    );
  }
}
