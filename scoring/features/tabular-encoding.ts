// A defined encoding of a table of strings (a CSV, or seed 004's session records) into the numeric
// rows a tree ensemble takes, fitted on the training rows only:
// - a column is numeric when every present cell parses as a finite number, else categorical;
// - missing cells ('', 'NA', 'NaN', 'null', 'None', '?') become NaN, which the trees send right at
//   every split (learned as "missing" while training, so it is not mistaken for any value);
// - a categorical value becomes its rank by training frequency (0 = most frequent, ties by name);
//   a value never seen in training becomes the code one past the last, the same for all unseen
//   values, so it lands with the rarest categories instead of failing.

const MISSING_TOKENS = new Set(['', 'na', 'nan', 'null', 'none', '?', 'n/a']);

export function isMissing(cell: string | undefined | null): boolean {
  return cell === undefined || cell === null || MISSING_TOKENS.has(cell.trim().toLowerCase());
}

export type ColumnEncoding = { readonly name: string; readonly kind: 'numeric' } | { readonly name: string; readonly kind: 'categorical'; readonly codes: Readonly<Record<string, number>>; readonly unseen: number };

export interface TableEncoding {
  readonly columns: readonly ColumnEncoding[];
}

/**
 * Fits the encoding on training rows (each an array of cells, one per column); `categorical` names
 * columns that are categorical whatever their values look like (a schema's choice, not the data's).
 */
export function fitTableEncoding(names: readonly string[], rows: readonly (readonly string[])[], categorical: readonly string[] = []): TableEncoding {
  const columns: ColumnEncoding[] = names.map((name, j) => {
    let numeric = !categorical.includes(name);
    const freq = new Map<string, number>();
    for (const row of rows) {
      const cell = row[j];
      if (isMissing(cell)) continue;
      const v = cell!.trim();
      if (numeric && !Number.isFinite(Number(v))) numeric = false;
      freq.set(v, (freq.get(v) ?? 0) + 1);
    }
    if (numeric) return { name, kind: 'numeric' };
    const ranked = [...freq.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const codes: Record<string, number> = Object.create(null);
    ranked.forEach(([v], i) => (codes[v] = i));
    return { name, kind: 'categorical', codes, unseen: ranked.length };
  });
  return { columns };
}

/** Encodes one cell of column j. */
export function encodeCell(enc: ColumnEncoding, cell: string | number | undefined | null): number {
  if (typeof cell === 'number') {
    if (enc.kind === 'numeric') return Number.isFinite(cell) ? cell : NaN;
    cell = String(cell);
  }
  if (isMissing(cell)) return NaN;
  const v = cell!.trim();
  if (enc.kind === 'numeric') {
    const x = Number(v);
    return Number.isFinite(x) ? x : NaN; // a word in a numeric column is treated as missing
  }
  return enc.codes[v] ?? enc.unseen;
}

/** Encodes rows into one row-major Float64Array. */
export function encodeRows(enc: TableEncoding, rows: readonly (readonly (string | number | undefined | null)[])[]): Float64Array {
  const d = enc.columns.length;
  const out = new Float64Array(rows.length * d);
  rows.forEach((row, r) => {
    for (let j = 0; j < d; j++) out[r * d + j] = encodeCell(enc.columns[j]!, row[j]);
  });
  return out;
}
