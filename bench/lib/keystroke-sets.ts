// Loads a keystroke data set in one of the supported formats as labelled feature vectors, going
// through the same feature extractors as live traffic (fixed text by position, free text summaries).
import { readAalto, readCmu, readPressRelease, readVectors, type Window } from './keystroke-data.ts';
import { fixedTextFeatureNames, fixedTextFeatures } from '../../scoring/features/fixed-text.ts';
import { FREE_TEXT_FEATURES, freeTextFeatures } from '../../scoring/features/free-text.ts';

export const FORMATS = ['cmu', 'press-release', 'aalto', 'vectors'] as const;
export type Format = (typeof FORMATS)[number];

export interface Sample {
  subject: string;
  vector: Float64Array;
}

export interface KeystrokeSet {
  features: string[];
  samples: Sample[];
  /** Windows dropped because the extractor could not judge them. */
  skipped: number;
}

export async function loadKeystrokeSet(format: Format, file: string): Promise<KeystrokeSet> {
  if (format === 'vectors') {
    const { features, rows } = await readVectors(file);
    return { features, samples: rows, skipped: 0 };
  }
  if (format === 'aalto') return freeText(await readAalto(file));
  return fixedText(format === 'cmu' ? await readCmu(file) : await readPressRelease(file));
}

function fixedText(windows: Window[]): KeystrokeSet {
  // The text length is the most common keystroke count (a password typed the same way each time).
  const counts = new Map<number, number>();
  for (const w of windows) {
    const k = w.events.filter((e) => e.type === 'keydown').length;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const length = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;
  const samples: Sample[] = [];
  let skipped = 0;
  for (const w of windows) {
    const f = fixedTextFeatures(w.events, length);
    if (f.judged) samples.push({ subject: w.subject, vector: f.vector });
    else skipped++;
  }
  return { features: fixedTextFeatureNames(length), samples, skipped };
}

function freeText(windows: Window[]): KeystrokeSet {
  const samples: Sample[] = [];
  let skipped = 0;
  for (const w of windows) {
    const f = freeTextFeatures(w.events);
    if (f.judged) samples.push({ subject: w.subject, vector: f.vector });
    else skipped++;
  }
  return { features: [...FREE_TEXT_FEATURES], samples, skipped };
}
