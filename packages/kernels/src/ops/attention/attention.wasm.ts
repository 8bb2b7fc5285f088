// Causal attention on the WebAssembly CPU runtime (src/wasm/assembly/attention.ts): flash-style, one chunk per
// (batch·head, tile of rows), the chunks spread over the runtime's threads; nothing of size L×L is stored.
import { PARALLEL_MIN_WORK, SCRATCH_BYTES, type WasmRuntime } from '../../wasm/runtime.js';
import { checkAttentionParams, type AttentionParams } from './attention.ref.js';

/** Rows of the tile a chunk owns (a multiple of 4) and columns of the tiles it walks (a multiple of 8). */
export interface WasmAttentionTiles {
  rows: number;
  cols: number;
}

type Pass = 'forward' | 'dq' | 'dkv';

/**
 * Scratch bytes of one chunk (layouts in assembly/attention.ts): its own rows packed [R, hd] (1 forward, 2
 * backward), transposed tiles [hd, C] (1 or 2), score-sized tiles [R, C] (1 or 2), accumulators [R, ⌈hd/4⌉·4]
 * (1, or dk and dv), and per-row or per-column floats.
 */
function scratchBytes(pass: Pass, hd: number, { rows: R, cols: C }: WasmAttentionTiles): number {
  const hdp = Math.ceil(hd / 4) * 4;
  if (pass === 'forward') return 4 * (R * hd + hd * C + R * C + R * hdp + 2 * R);
  if (pass === 'dq') return 4 * (2 * R * hd + 2 * hd * C + 2 * R * C + R * hdp + 2 * R);
  return 4 * (2 * R * hd + 2 * hd * C + 2 * R * C + 2 * R * hdp + 2 * C);
}

// Largest first: a bigger tile reuses each transposed tile over more rows and its own packed rows over more
// columns. Measured at [12, 1024, 64] on one thread (process CPU time, bench/wasm-attention.bench.ts setup):
// forward 64×32 72 ms, 64×64 82, 32×32 77, 32×64 77, 16×64 84; backward 64×32 217 ms, 32×32 231 (64×64 does
// not fit the dk/dv pass). Smaller tiles take over as hd grows (hd 128: forward 64×32, backward 32×32).
const CANDIDATES: WasmAttentionTiles[] = [
  { rows: 64, cols: 32 },
  { rows: 32, cols: 32 },
  { rows: 32, cols: 16 },
  { rows: 16, cols: 16 },
  { rows: 16, cols: 8 },
  { rows: 8, cols: 8 },
  { rows: 4, cols: 8 },
];

/**
 * The tiles of `pass` for head dim hd: `given` if set (checked), else the largest candidate whose scratch fits
 * the runtime's per-thread scratch. Throws a RangeError naming fn when nothing fits (hd beyond ~2700).
 */
function pickTiles(fn: string, pass: Pass, hd: number, given?: WasmAttentionTiles): WasmAttentionTiles {
  if (given) {
    const { rows, cols } = given;
    if (!(Number.isInteger(rows) && rows >= 4 && rows % 4 === 0)) throw new RangeError(`${fn}: tiles.rows must be a positive multiple of 4; got ${rows}`);
    if (!(Number.isInteger(cols) && cols >= 8 && cols % 8 === 0)) throw new RangeError(`${fn}: tiles.cols must be a positive multiple of 8; got ${cols}`);
    if (scratchBytes(pass, hd, given) > SCRATCH_BYTES)
      throw new RangeError(`${fn}: tiles ${rows}×${cols} need ${scratchBytes(pass, hd, given)} bytes of scratch at headDim ${hd}; the runtime has ${SCRATCH_BYTES}`);
    return given;
  }
  const t = CANDIDATES.find((c) => scratchBytes(pass, hd, c) <= SCRATCH_BYTES);
  if (!t) throw new RangeError(`${fn}: headDim ${hd} is too large for the WebAssembly kernels' ${SCRATCH_BYTES}-byte scratch`);
  return t;
}

/** Whether a job of BH causal blocks is too small to pay for waking the workers (~0.03 ns per flop, as matmul). */
function serial(p: AttentionParams, matmuls: number): boolean {
  const flops = 2 * matmuls * p.batchHeads * ((p.length * (p.length + 1)) / 2) * p.headDim;
  return flops / 32 < PARALLEL_MIN_WORK;
}

/**
 * out [BH, L, hd] and lse [BH, L] of causal attention for q, k, v [BH, L, hd] (the contract of
 * causalAttentionForwardRef) in float32: scores and sums in f32, exp within 2 ulp. One chunk per (bh, tile of
 * `tiles.rows` queries), the longest tiles first; the same bits for any thread count. All arrays are views of
 * rt's memory; `tiles` (for tests and tuning) changes only the rounding.
 * @example
 * const rt = WasmRuntime.shared();
 * const [q, k, v, out] = [0, 1, 2, 3].map(() => rt.allocF32(12 * 1024 * 64)), lse = rt.allocF32(12 * 1024);
 * causalAttentionForwardWasm(rt, out, lse, q, k, v, { batchHeads: 12, length: 1024, headDim: 64, scale: 1 / 8 });
 */
export function causalAttentionForwardWasm(
  rt: WasmRuntime,
  out: Float32Array,
  lse: Float32Array,
  q: Float32Array,
  k: Float32Array,
  v: Float32Array,
  p: AttentionParams,
  tiles?: WasmAttentionTiles,
): void {
  const fn = 'causalAttentionForwardWasm';
  checkAttentionParams(fn, p);
  const { batchHeads: BH, length: L, headDim: hd } = p;
  const n = BH * L * hd;
  const t = pickTiles(fn, 'forward', hd, tiles);
  const ptrs = [rt.arg(out, n, fn, 'out'), rt.arg(lse, BH * L, fn, 'lse'), rt.arg(q, n, fn, 'q'), rt.arg(k, n, fn, 'k'), rt.arg(v, n, fn, 'v')];
  rt.run('attentionForwardF32', [...ptrs, BH, L, hd, p.scale, t.rows, t.cols], BH * Math.ceil(L / t.rows), serial(p, 2));
}

/**
 * dq, dk, dv [BH, L, hd] of Σ dout ⊙ out for out = causalAttentionForwardWasm(q, k, v), from the saved out and
 * lse (the contract of causalAttentionBackwardRef) in float32. Two passes, so that each output row has one
 * owner and no atomics are needed: dq per query tile (it also writes delta = rowsum(dout ⊙ out) into a
 * temporary [BH, L]), then dk and dv per key tile. The same bits for any thread count.
 * @example causalAttentionBackwardWasm(rt, dq, dk, dv, dout, q, k, v, out, lse, p)
 */
export function causalAttentionBackwardWasm(
  rt: WasmRuntime,
  dq: Float32Array,
  dk: Float32Array,
  dv: Float32Array,
  dout: Float32Array,
  q: Float32Array,
  k: Float32Array,
  v: Float32Array,
  out: Float32Array,
  lse: Float32Array,
  p: AttentionParams,
  tiles?: WasmAttentionTiles,
): void {
  const fn = 'causalAttentionBackwardWasm';
  checkAttentionParams(fn, p);
  const { batchHeads: BH, length: L, headDim: hd, scale } = p;
  const n = BH * L * hd;
  const tq = pickTiles(fn, 'dq', hd, tiles);
  const tkv = pickTiles(fn, 'dkv', hd, tiles);
  const [dqP, dkP, dvP] = [rt.arg(dq, n, fn, 'dq'), rt.arg(dk, n, fn, 'dk'), rt.arg(dv, n, fn, 'dv')];
  const [doutP, qP, kP, vP, outP] = [rt.arg(dout, n, fn, 'dout'), rt.arg(q, n, fn, 'q'), rt.arg(k, n, fn, 'k'), rt.arg(v, n, fn, 'v'), rt.arg(out, n, fn, 'out')];
  const lseP = rt.arg(lse, BH * L, fn, 'lse');
  const small = serial(p, 3);
  rt.withTemp(BH * L * 4, (delta) => {
    rt.run('attentionBackwardDqF32', [dqP, delta, doutP, qP, kP, vP, outP, lseP, BH, L, hd, scale, tq.rows, tq.cols], BH * Math.ceil(L / tq.rows), small);
    rt.run('attentionBackwardDkvF32', [dkP, dvP, delta, doutP, qP, kP, vP, lseP, BH, L, hd, scale, tkv.rows, tkv.cols], BH * Math.ceil(L / tkv.rows), small);
  });
}
