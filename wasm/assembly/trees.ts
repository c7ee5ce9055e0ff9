// Tree-ensemble (random forest) scoring over linear memory: each tree a flat array of 8-byte nodes,
// eight trees walked in lockstep, branch-free, so that their independent load chains overlap (one
// tree at a time, each step waits for the previous one's loads).
//
// Node: (f32, u32 word). A split holds its threshold and the word (hop << 11) | feature, hop
// being how many nodes after it its left child is (the right child is the next node), so a
// cursor needs no tree base; a leaf holds the tree's probability and the word LEAF_BIT | dims
// (a step from it stays put: see step()). A row goes left when x[feature] <= threshold, so a missing
// value (NaN) goes right, as while training (scoring/models/rforest.ts). `roots` holds each tree's
// byte offset from `nodes`. The mean of the leaf values, summed in tree order in f64, is the
// twin's (scoring/models/tree-ensemble.ts) bit for bit.

const LEAF_BIT: u32 = 1 << 10;

/**
 * One step from node k. A leaf's word is LEAF_BIT with hop 0 and the feature index `dims`, whose
 * cell the host fills with -Infinity in every row: -Inf <= the leaf's value, so the step goes
 * "left" by 0 nodes and the cursor stays, without a test.
 */
@inline
function step(k: usize, w: u32, row: usize): usize {
  const v = load<f32>(row + (<usize>(w & 1023) << 2));
  const left = k + (<usize>(w >> 11) << 3);
  return select<usize>(left, left + 8, v <= load<f32>(k));
}

@inline
function walk(tree: usize, row: usize): f32 {
  let k = tree;
  let w = load<u32>(k, 4);
  while ((w & LEAF_BIT) == 0) {
    k = step(k, w, row);
    w = load<u32>(k, 4);
  }
  return load<f32>(k);
}

/**
 * Mean leaf value over `trees` trees of each of `rows` f32 rows, into `out` (f64). Rows are
 * `dims` + 1 wide: the features, then -Infinity (see step()).
 */
export function treesScoreBatch(nodes: usize, roots: usize, trees: i32, x: usize, rows: i32, dims: i32, out: usize): void {
  const rowBytes = <usize>(dims + 1) << 2;
  for (let r = 0; r < rows; r++) {
    const row = x + <usize>r * rowBytes;
    let sum: f64 = 0;
    let t = 0;
    for (; t + 8 <= trees; t += 8) {
      const at = roots + (<usize>t << 2);
      let a = nodes + <usize>load<u32>(at, 0);
      let b = nodes + <usize>load<u32>(at, 4);
      let c = nodes + <usize>load<u32>(at, 8);
      let d = nodes + <usize>load<u32>(at, 12);
      let e = nodes + <usize>load<u32>(at, 16);
      let f = nodes + <usize>load<u32>(at, 20);
      let g = nodes + <usize>load<u32>(at, 24);
      let h = nodes + <usize>load<u32>(at, 28);
      let wa = load<u32>(a, 4);
      let wb = load<u32>(b, 4);
      let wc = load<u32>(c, 4);
      let wd = load<u32>(d, 4);
      let we = load<u32>(e, 4);
      let wf = load<u32>(f, 4);
      let wg = load<u32>(g, 4);
      let wh = load<u32>(h, 4);
      while ((wa & wb & wc & wd & we & wf & wg & wh & LEAF_BIT) == 0) {
        a = step(a, wa, row);
        b = step(b, wb, row);
        c = step(c, wc, row);
        d = step(d, wd, row);
        e = step(e, we, row);
        f = step(f, wf, row);
        g = step(g, wg, row);
        h = step(h, wh, row);
        wa = load<u32>(a, 4);
        wb = load<u32>(b, 4);
        wc = load<u32>(c, 4);
        wd = load<u32>(d, 4);
        we = load<u32>(e, 4);
        wf = load<u32>(f, 4);
        wg = load<u32>(g, 4);
        wh = load<u32>(h, 4);
      }
      // Added in tree order, as the twin does.
      sum += <f64>load<f32>(a);
      sum += <f64>load<f32>(b);
      sum += <f64>load<f32>(c);
      sum += <f64>load<f32>(d);
      sum += <f64>load<f32>(e);
      sum += <f64>load<f32>(f);
      sum += <f64>load<f32>(g);
      sum += <f64>load<f32>(h);
    }
    for (; t < trees; t++) sum += <f64>walk(nodes + <usize>load<u32>(roots + (<usize>t << 2)), row);
    store<f64>(out + (<usize>r << 3), sum / <f64>trees);
  }
}
