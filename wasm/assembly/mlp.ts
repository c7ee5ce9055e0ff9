// Dense multilayer perceptron forward pass over linear memory, f32 with SIMD: the classifier score or
// the autoencoder's reconstruction error of each row.
//
// A network is described by i32 words at `net`:
//   [0] layers  [1] input width  [2] scratch A  [3] scratch B  [4] input shift  [5] input scale
//   then per layer 6 words: in, out, outPadded (multiple of 4), activation (0 linear, 1 relu,
//   2 sigmoid), weights (in x outPadded, input-major, zero padded), bias (outPadded, zero padded).
// Every lane computes acc = bias; acc = acc + (w * a) for inputs in order, in f32: the TS twin does
// the same with Math.fround and matches to the last bit before the activation.

const HEAD = 6;
const LAYER = 6;

@inline
function word(net: usize, i: i32): i32 {
  return load<i32>(net + (<usize>i << 2));
}

@inline
function sigmoid(v: f32): f32 {
  return <f32>(1.0 / (1.0 + Math.exp(-<f64>v)));
}

/** One layer: dst[0..outPad) = act(bias + W^T src), sixteen then four outputs at a time. */
function dense(src: usize, dst: usize, inW: i32, outPad: i32, act: i32, w: usize, b: usize): void {
  const rowBytes = <usize>outPad << 2;
  let o = 0;
  for (; o + 16 <= outPad; o += 16) {
    const ob = <usize>o << 2;
    let acc0 = v128.load(b + ob);
    let acc1 = v128.load(b + ob, 16);
    let acc2 = v128.load(b + ob, 32);
    let acc3 = v128.load(b + ob, 48);
    let wp = w + ob;
    for (let i = 0; i < inW; i++) {
      const a = v128.load32_splat(src + (<usize>i << 2));
      acc0 = f32x4.add(acc0, f32x4.mul(v128.load(wp), a));
      acc1 = f32x4.add(acc1, f32x4.mul(v128.load(wp, 16), a));
      acc2 = f32x4.add(acc2, f32x4.mul(v128.load(wp, 32), a));
      acc3 = f32x4.add(acc3, f32x4.mul(v128.load(wp, 48), a));
      wp += rowBytes;
    }
    if (act == 1) {
      const zero = f32x4.splat(0);
      acc0 = f32x4.max(acc0, zero);
      acc1 = f32x4.max(acc1, zero);
      acc2 = f32x4.max(acc2, zero);
      acc3 = f32x4.max(acc3, zero);
    }
    v128.store(dst + ob, acc0);
    v128.store(dst + ob, acc1, 16);
    v128.store(dst + ob, acc2, 32);
    v128.store(dst + ob, acc3, 48);
  }
  for (; o < outPad; o += 4) {
    const ob = <usize>o << 2;
    let acc = v128.load(b + ob);
    let wp = w + ob;
    for (let i = 0; i < inW; i++) {
      acc = f32x4.add(acc, f32x4.mul(v128.load(wp), v128.load32_splat(src + (<usize>i << 2))));
      wp += rowBytes;
    }
    if (act == 1) acc = f32x4.max(acc, f32x4.splat(0));
    v128.store(dst + ob, acc);
  }
  if (act == 2) {
    for (let j = 0; j < outPad; j++) {
      const at = dst + (<usize>j << 2);
      store<f32>(at, sigmoid(load<f32>(at)));
    }
  }
}

/** Standardises `row` into scratch A and runs every layer; returns where the output is. */
function forward(net: usize, row: usize): usize {
  const layers = word(net, 0);
  const inW = word(net, 1);
  let src = <usize>word(net, 2);
  let dst = <usize>word(net, 3);
  const shift = <usize>word(net, 4);
  const scale = <usize>word(net, 5);
  for (let i = 0; i < inW; i++) {
    const off = <usize>i << 2;
    store<f32>(src + off, (load<f32>(row + off) - load<f32>(shift + off)) * load<f32>(scale + off));
  }
  for (let l = 0; l < layers; l++) {
    const d = HEAD + l * LAYER;
    dense(src, dst, word(net, d), word(net, d + 2), word(net, d + 3), <usize>word(net, d + 4), <usize>word(net, d + 5));
    const t = src;
    src = dst;
    dst = t;
  }
  return src;
}

/** Outputs of every row: `rows` x outWidth f64 values into `out` (row-major). */
export function mlpForward(net: usize, x: usize, rows: i32, out: usize): void {
  const layers = word(net, 0);
  const inW = word(net, 1);
  const outW = word(net, HEAD + (layers - 1) * LAYER + 1);
  for (let r = 0; r < rows; r++) {
    const y = forward(net, x + ((<usize>r * <usize>inW) << 2));
    const o = out + ((<usize>r * <usize>outW) << 3);
    for (let j = 0; j < outW; j++) store<f64>(o + (<usize>j << 3), <f64>load<f32>(y + (<usize>j << 2)));
  }
}

/** Autoencoder reconstruction error per row: mean over inputs of (output - standardised input)^2. */
export function mlpReconstructionError(net: usize, x: usize, rows: i32, out: usize): void {
  const inW = word(net, 1);
  const shift = <usize>word(net, 4);
  const scale = <usize>word(net, 5);
  for (let r = 0; r < rows; r++) {
    const row = x + ((<usize>r * <usize>inW) << 2);
    const y = forward(net, row);
    let err: f64 = 0;
    for (let i = 0; i < inW; i++) {
      const off = <usize>i << 2;
      const target = (load<f32>(row + off) - load<f32>(shift + off)) * load<f32>(scale + off);
      const d = <f64>load<f32>(y + off) - <f64>target;
      err += d * d;
    }
    store<f64>(out + (<usize>r << 3), err / <f64>inW);
  }
}
