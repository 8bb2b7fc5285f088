// Every differentiable op of the engine, as (function, inputs) cases shared by the float64 gradient checks
// (ops.test.ts) and the cpu-vs-webgpu agreement tests (ops.gpu.test.ts).
import { Rng } from '@hippo/kernels';
import type { CheckInput } from '../src/testing/index.js';
import {
  Tensor,
  add,
  crossEntropy,
  div,
  dropout,
  embedding,
  expand,
  fftConv,
  layerNorm,
  linear,
  matmul,
  mean,
  mul,
  mulScalar,
  addScalar,
  concat,
  permute,
  slice,
  transpose,
  neg,
  reshape,
  softmax,
  sub,
  sum,
} from '../src/index.js';
import { causalAttention, rotary } from '../src/index.js';
import { s4dKernel, shiftKernel } from '../src/index.js';
import { s4dInputs, shiftInputs } from './ssm-kernel-inputs.js';

export interface OpCase {
  name: string;
  fn: (...xs: Tensor[]) => Tensor;
  inputs: (rng: Rng) => CheckInput[];
  /** finite-difference step, default 1e-6 */
  h?: number;
}

const normal = (rng: Rng, shape: number[], scale = 1): CheckInput => ({
  shape,
  data: rng.fillNormal(new Float64Array(shape.reduce((a, b) => a * b, 1)), 0, scale),
});
/** Values in [lo, hi] (keeps log/sqrt/div away from their singularities). */
const within = (rng: Rng, shape: number[], lo: number, hi: number): CheckInput => ({
  shape,
  data: rng.fillUniform(new Float64Array(shape.reduce((a, b) => a * b, 1)), lo, hi),
});
/** Normal values at least `gap` away from 0 (relu's kink). */
const awayFromZero = (rng: Rng, shape: number[], gap = 0.05): CheckInput => {
  const c = normal(rng, shape);
  for (let i = 0; i < c.data.length; i++) if (Math.abs(c.data[i]) < gap) c.data[i] = c.data[i] < 0 ? -gap : gap;
  return c;
};

const IDS = Int32Array.from([3, 0, 3, 6, 1]);
const TARGETS = Int32Array.from([2, -1, 0, 6, 6, 1]);

export const OP_CASES: OpCase[] = [
  { name: 'add broadcast', fn: add, inputs: (r) => [normal(r, [2, 3, 5]), normal(r, [3, 1])] },
  { name: 'sub broadcast', fn: sub, inputs: (r) => [normal(r, [4, 1]), normal(r, [1, 7])] },
  { name: 'mul broadcast', fn: mul, inputs: (r) => [normal(r, [3, 5]), normal(r, [5])] },
  { name: 'div broadcast', fn: div, inputs: (r) => [normal(r, [2, 5]), within(r, [2, 1], 0.5, 2)] },
  { name: 'neg', fn: neg, inputs: (r) => [normal(r, [7])] },
  { name: 'mulScalar', fn: (x) => mulScalar(x, -1.7), inputs: (r) => [normal(r, [6])] },
  { name: 'addScalar', fn: (x) => addScalar(x, 0.3), inputs: (r) => [normal(r, [6])] },
  { name: 'exp', fn: (x) => x.exp(), inputs: (r) => [normal(r, [3, 4])] },
  { name: 'log', fn: (x) => x.log(), inputs: (r) => [within(r, [9], 0.2, 3)] },
  { name: 'sqrt', fn: (x) => x.sqrt(), inputs: (r) => [within(r, [9], 0.2, 3)] },
  { name: 'square', fn: (x) => x.square(), inputs: (r) => [normal(r, [9])] },
  { name: 'relu', fn: (x) => x.relu(), inputs: (r) => [awayFromZero(r, [11])] },
  { name: 'gelu', fn: (x) => x.gelu(), inputs: (r) => [normal(r, [13], 2)] },
  { name: 'tanh', fn: (x) => x.tanh(), inputs: (r) => [normal(r, [13], 2)] },
  { name: 'sigmoid', fn: (x) => x.sigmoid(), inputs: (r) => [normal(r, [13], 3)] },
  { name: 'dropout', fn: (x) => dropout(x, 0.3, 1234), inputs: (r) => [normal(r, [31])] },
  { name: 'sum all', fn: (x) => sum(x), inputs: (r) => [normal(r, [3, 4])] },
  { name: 'sum axis 1', fn: (x) => sum(x, 1), inputs: (r) => [normal(r, [3, 4, 5])] },
  { name: 'sum axis -1 keepDim', fn: (x) => sum(x, -1, true), inputs: (r) => [normal(r, [3, 7])] },
  { name: 'mean axis 0', fn: (x) => mean(x, 0), inputs: (r) => [normal(r, [5, 3])] },
  { name: 'mean all', fn: (x) => mean(x), inputs: (r) => [normal(r, [2, 3])] },
  { name: 'matmul', fn: (a, b) => matmul(a, b), inputs: (r) => [normal(r, [3, 4]), normal(r, [4, 5])] },
  { name: 'matmul transA', fn: (a, b) => matmul(a, b, { transA: true }), inputs: (r) => [normal(r, [4, 3]), normal(r, [4, 5])] },
  { name: 'matmul transB', fn: (a, b) => matmul(a, b, { transB: true }), inputs: (r) => [normal(r, [3, 4]), normal(r, [5, 4])] },
  {
    name: 'matmul transA transB',
    fn: (a, b) => matmul(a, b, { transA: true, transB: true }),
    inputs: (r) => [normal(r, [4, 3]), normal(r, [5, 4])],
  },
  { name: 'matmul batched', fn: (a, b) => matmul(a, b), inputs: (r) => [normal(r, [2, 3, 4]), normal(r, [2, 4, 2])] },
  { name: 'linear + bias', fn: (x, w, b) => linear(x, w, b), inputs: (r) => [normal(r, [2, 3, 4]), normal(r, [5, 4]), normal(r, [5])] },
  { name: 'linear no bias', fn: (x, w) => linear(x, w), inputs: (r) => [normal(r, [3, 4]), normal(r, [2, 4])] },
  { name: 'reshape', fn: (x) => reshape(x, [3, -1]).mul(reshape(x, [3, 4])), inputs: (r) => [normal(r, [2, 6])] },
  { name: 'expand', fn: (x) => expand(x, [2, 3, 4]), inputs: (r) => [normal(r, [3, 1])] },
  // layout ops: odd dims so that a wrong stride or offset lands on a different element
  { name: 'permute rank 3', fn: (x) => permute(x, [0, 2, 1]), inputs: (r) => [normal(r, [2, 3, 5])] },
  { name: 'permute rank 4', fn: (x) => permute(x, [2, 0, 3, 1]), inputs: (r) => [normal(r, [2, 3, 4, 5])] },
  { name: 'transpose -1 -3', fn: (x) => transpose(x, -1, -3), inputs: (r) => [normal(r, [3, 2, 5])] },
  { name: 'slice middle axis', fn: (x) => slice(x, 1, 1, -1), inputs: (r) => [normal(r, [2, 5, 3])] },
  {
    name: 'concat of 3 on a middle axis',
    fn: (a, b, c) => concat([a, b, c], -2),
    inputs: (r) => [normal(r, [2, 1, 3]), normal(r, [2, 4, 3]), normal(r, [2, 2, 3])],
  },
  {
    name: 'layerNorm',
    fn: (x, w, b) => layerNorm(x, w, b, 1e-5),
    inputs: (r) => [normal(r, [3, 7]), normal(r, [7]), normal(r, [7])],
  },
  { name: 'softmax', fn: (x) => softmax(x), inputs: (r) => [normal(r, [4, 6])] },
  { name: 'embedding', fn: (w) => embedding(w, IDS), inputs: (r) => [normal(r, [7, 3])] },
  { name: 'crossEntropy (one ignored row)', fn: (l) => crossEntropy(l, TARGETS), inputs: (r) => [normal(r, [6, 7], 2)] },
  // u [B,H,L], k [H,Lk], D [H]: Lk < L with odd L (transform padded to N = 16), Lk = L, and L = Lk = 1
  { name: 'fftConv Lk < L', fn: fftConv, inputs: (r) => [normal(r, [2, 3, 9]), normal(r, [3, 4]), normal(r, [3])] },
  { name: 'fftConv Lk = L', fn: fftConv, inputs: (r) => [normal(r, [1, 2, 16]), normal(r, [2, 16]), normal(r, [2])] },
  { name: 'fftConv L = 1', fn: fftConv, inputs: (r) => [normal(r, [3, 2, 1]), normal(r, [2, 1]), normal(r, [2])] },
  // q, k, v [B, heads, L, hd]: odd batch·heads, L not a multiple of any tile, scores of scale ~2; L = 1 (out = v)
  { name: 'causalAttention', fn: (q, k, v) => causalAttention(q, k, v), inputs: (r) => [normal(r, [1, 3, 7, 4], 1.5), normal(r, [1, 3, 7, 4], 1.5), normal(r, [1, 3, 7, 4])] },
  { name: 'causalAttention L = 1, scale 0.3', fn: (q, k, v) => causalAttention(q, k, v, { scale: 0.3 }), inputs: (r) => [normal(r, [2, 1, 1, 5]), normal(r, [2, 1, 1, 5]), normal(r, [2, 1, 1, 5])] },
  // x [B, L, heads, hd]: partial rotation (6 of 10 dims) at an offset, and full rotation
  { name: 'rotary rotaryDim < hd, offset 5', fn: (x) => rotary(x, { rotaryDim: 6, offset: 5 }), inputs: (r) => [normal(r, [2, 4, 3, 10])] },
  { name: 'rotary rotaryDim = hd, base 100', fn: (x) => rotary(x, { rotaryDim: 8, base: 100 }), inputs: (r) => [normal(r, [1, 9, 1, 8])] },
  // SSM kernels from parameters drawn like the official init: odd H, N2 = 1 and 3, L = 1, odd, shift L < N; H ≥ 6
  // where L > 1, since dLogDt has H entries whose f32 sums can cancel (a 2-entry relative error has a heavy tail)
  { name: 's4dKernel S4D-Lin', fn: (...x) => s4dKernel(x[0], x[1], x[2], x[3], x[4], 9), inputs: (r) => s4dInputs(r, 7, 2, 'lin'), h: 1e-5 },
  { name: 's4dKernel S4D-Inv', fn: (...x) => s4dKernel(x[0], x[1], x[2], x[3], x[4], 7), inputs: (r) => s4dInputs(r, 6, 3, 'inv'), h: 1e-5 },
  { name: 's4dKernel N2 = 1, L = 1', fn: (...x) => s4dKernel(x[0], x[1], x[2], x[3], x[4], 1), inputs: (r) => s4dInputs(r, 1, 1, 'lin'), h: 1e-5 },
  { name: 'shiftKernel L > N', fn: (B, C) => shiftKernel(B, C, 9), inputs: (r) => shiftInputs(r, 3, 5) },
  { name: 'shiftKernel L < N', fn: (B, C) => shiftKernel(B, C, 4), inputs: (r) => shiftInputs(r, 2, 6) },
  {
    name: 'composite: 2-layer MLP loss',
    fn: (x, w1, w2) => crossEntropy(linear(linear(x, w1).gelu(), w2), Int32Array.from([1, 0, 2])),
    inputs: (r) => [normal(r, [3, 4]), normal(r, [6, 4]), normal(r, [3, 6])],
  },
];

export { Tensor };
