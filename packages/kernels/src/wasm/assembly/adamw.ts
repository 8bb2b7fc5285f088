// One AdamW step in place on f32 param, m, v (adamwRef), computed in f64 lanes in the reference's exact
// operation order, so every stored value is the reference's f64 result rounded once: bit-identical to it.
import { hi64, join32, lo64, loadTail, storeTail } from './simd';

/**
 * For i in chunk·per .. min(n, (chunk+1)·per): g = gradScale·grad; m ← β1·m + (1−β1)·g;
 * v ← β2·v + (1−β2)·g·g; param ← param·decay − lr·(m/bc1) / (√(v/bc2) + eps). The caller passes
 * 1−β1, 1−β2, decay = 1 − lr·wd and the bias corrections bc = 1 − β^step as the reference computes them.
 */
export function adamwF32(
  param: usize,
  grad: usize,
  m: usize,
  v: usize,
  n: i32,
  lr: f64,
  beta1: f64,
  beta2: f64,
  oneMinusBeta1: f64,
  oneMinusBeta2: f64,
  eps: f64,
  decay: f64,
  bc1: f64,
  bc2: f64,
  gradScale: f64,
  per: i32,
  chunk: i32,
  scratch: usize,
): void {
  const i0 = chunk * per;
  const i1 = min(i0 + per, n);
  let i = i0;
  for (; i < i1; i += 4) {
    const k = min(4, i1 - i);
    const o = <usize>i * 4;
    const full = k == 4;
    const p4 = full ? v128.load(param + o) : loadTail(param + o, k);
    const g4 = full ? v128.load(grad + o) : loadTail(grad + o, k);
    const m4 = full ? v128.load(m + o) : loadTail(m + o, k);
    const v4 = full ? v128.load(v + o) : loadTail(v + o, k);
    const gLo = f64x2.mul(f64x2.splat(gradScale), lo64(g4));
    const gHi = f64x2.mul(f64x2.splat(gradScale), hi64(g4));
    const mLo = f64x2.add(f64x2.mul(f64x2.splat(beta1), lo64(m4)), f64x2.mul(f64x2.splat(oneMinusBeta1), gLo));
    const mHi = f64x2.add(f64x2.mul(f64x2.splat(beta1), hi64(m4)), f64x2.mul(f64x2.splat(oneMinusBeta1), gHi));
    const vLo = f64x2.add(f64x2.mul(f64x2.splat(beta2), lo64(v4)), f64x2.mul(f64x2.mul(f64x2.splat(oneMinusBeta2), gLo), gLo));
    const vHi = f64x2.add(f64x2.mul(f64x2.splat(beta2), hi64(v4)), f64x2.mul(f64x2.mul(f64x2.splat(oneMinusBeta2), gHi), gHi));
    const pLo = newParam(lo64(p4), mLo, vLo, lr, eps, decay, bc1, bc2);
    const pHi = newParam(hi64(p4), mHi, vHi, lr, eps, decay, bc1, bc2);
    if (full) {
      v128.store(param + o, join32(pLo, pHi));
      v128.store(m + o, join32(mLo, mHi));
      v128.store(v + o, join32(vLo, vHi));
    } else {
      storeTail(param + o, join32(pLo, pHi), k);
      storeTail(m + o, join32(mLo, mHi), k);
      storeTail(v + o, join32(vLo, vHi), k);
    }
  }
}

/** param·decay − lr·(m/bc1) / (√(v/bc2) + eps) on two f64 lanes. */
// @ts-ignore: decorator
@inline
function newParam(p: v128, m: v128, v: v128, lr: f64, eps: f64, decay: f64, bc1: f64, bc2: f64): v128 {
  const step = f64x2.div(f64x2.mul(f64x2.splat(lr), f64x2.div(m, f64x2.splat(bc1))), f64x2.add(f64x2.sqrt(f64x2.div(v, f64x2.splat(bc2))), f64x2.splat(eps)));
  return f64x2.sub(f64x2.mul(p, f64x2.splat(decay)), step);
}
