// Reads a numeric CSV with a header row whose last column is a 0/1 label (the anomaly/ sets).
import { readFile } from 'node:fs/promises';

export interface LabelledMatrix {
  /** Row-major features, `d` wide. */
  x: Float64Array;
  labels: Uint8Array;
  n: number;
  d: number;
  header: string[];
}

export async function readLabelledCsv(path: string): Promise<LabelledMatrix> {
  const text = await readFile(path, 'utf8');
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines[0]!.split(',').map((h) => h.trim());
  const d = header.length - 1;
  if (d < 1) throw new Error(`${path}: need at least one feature column and a label`);
  const n = lines.length - 1;
  const x = new Float64Array(n * d);
  const labels = new Uint8Array(n);
  for (let r = 0; r < n; r++) {
    const cells = lines[r + 1]!.split(',');
    if (cells.length !== d + 1) throw new Error(`${path}:${r + 2}: ${cells.length} cells, header has ${d + 1}`);
    for (let j = 0; j < d; j++) {
      const v = Number(cells[j]);
      if (!Number.isFinite(v)) throw new Error(`${path}:${r + 2}: column ${header[j]} is not a number: ${cells[j]}`);
      x[r * d + j] = v;
    }
    const label = Number(cells[d]);
    if (label !== 0 && label !== 1) throw new Error(`${path}:${r + 2}: label must be 0 or 1, got ${cells[d]}`);
    labels[r] = label;
  }
  return { x, labels, n, d, header };
}
