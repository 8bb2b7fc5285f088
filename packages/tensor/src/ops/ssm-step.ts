// The two SSMs of H3 as RNNs, for generation (h3-reference §5): the state after a prompt (prefill) and one
// token at a time, each step one fused kernel. No autograd: training uses the parallel form (fftConv), so
// these refuse inputs that would need a gradient rather than silently cutting the graph.
import { DTypeError, HippoError, ShapeError, type DiagSsmParams, type ShiftSsmParams } from '@hippo/kernels';
import { isGradEnabled } from '../autograd/scope.js';
import { Tensor } from '../tensor.js';
import { assertFloat, backendOf } from './record.js';

/** Checks the inputs of a generation-only op: one backend, live, float, one dtype, none needing a gradient. */
function checkInputs(fn: string, inputs: Record<string, Tensor>): ReturnType<typeof backendOf> {
  const entries = Object.entries(inputs);
  const backend = backendOf(fn, ...entries.map(([, t]) => t));
  const [first, firstT] = entries[0];
  for (const [name, t] of entries) {
    assertFloat(fn, name, t);
    if (t.dtype !== firstT.dtype) throw new DTypeError(fn, name, `${firstT.dtype} like ${first}`, t.dtype);
    if (isGradEnabled() && t.requiresGrad)
      throw new HippoError(
        `${fn}: ${name} requires grad, but ${fn} is for generation only and has no gradient; ` +
          `call it inside noGrad(() => …) (train through the parallel form, fftConv)`,
      );
  }
  return backend;
}

function shapeIs(t: Tensor, shape: number[]): boolean {
  return t.rank === shape.length && t.shape.every((v, i) => v === shape[i]);
}

/** A ShapeError unless `t` has exactly `shape`. */
function expectShape(fn: string, name: string, t: Tensor, shape: number[], context: string): void {
  if (!shapeIs(t, shape)) throw new ShapeError(fn, name, `[${shape.join(', ')}] (${context})`, `[${t.shape.join(', ')}]`);
}

/** The [H, N2] of a complex [H, N2, 2] per-mode tensor, or a ShapeError. */
function modesOf(fn: string, name: string, t: Tensor): [number, number] {
  if (t.rank !== 3 || t.shape[2] !== 2 || t.shape[0] < 1 || t.shape[1] < 1)
    throw new ShapeError(fn, name, '[H, N2, 2] (complex modes as re, im pairs)', `[${t.shape.join(', ')}]`);
  return [t.shape[0], t.shape[1]];
}

/**
 * The diagonal SSM's state after a prompt, from a zero state: state[b,h,n] = Σ_{j<L} Ā[h,n]^(L−1−j)·z[b,h,j],
 * the state x_L of x_t = Ā ⊙ x_{t−1} + z_t (B̄ folded into the output weights W). Generation only.
 * Shapes: z [B,H,L] real, Ā [H,N2,2] (re, im) → state [B,H,N2,2]. On webgpu f32 error ≤ 5u·L·max(|x|, |z|).
 * @example
 * const state = noGrad(() => diagSsmState(z, A)); // z [1, 768, 1024], A [768, 32, 2] → [1, 768, 32, 2]
 */
export function diagSsmState(z: Tensor, A: Tensor): Tensor {
  const fn = 'diagSsmState';
  const backend = checkInputs(fn, { z, A });
  const [H, N2] = modesOf(fn, 'A', A);
  if (z.rank !== 3 || z.shape[1] !== H) throw new ShapeError(fn, 'z', `[B, ${H}, L] (A is [${A.shape}])`, `[${z.shape}]`);
  const [B, , L] = z.shape;
  return new Tensor(backend.diagSsmState(z.storage, A.storage, { batch: B, channels: H, modes: N2, length: L }), [B, H, N2, 2]);
}

/**
 * One token of the diagonal SSM: state ← Ā ⊙ state + z, **in place**, then returns
 * y = 2·Re Σ_n W_n·state_n + D·z. Generation only; one fused dispatch on webgpu (N2 ≤ 256 there).
 * Shapes: state [B,H,N2,2], z [B,H], Ā and W [H,N2,2], D [H] → y [B,H].
 * @example
 * const y = noGrad(() => diagSsmStep(state, z, A, W, D)); // state [1, 768, 32, 2], z [1, 768] → y [1, 768]
 */
export function diagSsmStep(state: Tensor, z: Tensor, A: Tensor, W: Tensor, D: Tensor): Tensor {
  const fn = 'diagSsmStep';
  const backend = checkInputs(fn, { state, z, A, W, D });
  const [H, N2] = modesOf(fn, 'A', A);
  const ctx = `A is [${A.shape}]`;
  if (state.rank !== 4 || state.shape[1] !== H || state.shape[2] !== N2 || state.shape[3] !== 2)
    throw new ShapeError(fn, 'state', `[B, ${H}, ${N2}, 2] (${ctx})`, `[${state.shape}]`);
  const B = state.shape[0];
  expectShape(fn, 'z', z, [B, H], `state is [${state.shape}]`);
  expectShape(fn, 'W', W, [H, N2, 2], ctx);
  expectShape(fn, 'D', D, [H], ctx);
  const p: DiagSsmParams = { batch: B, channels: H, modes: N2 };
  return new Tensor(backend.diagSsmStep(state.storage, z.storage, A.storage, W.storage, D.storage, p), [B, H]);
}

/**
 * The shift SSM's state after a prompt: the last N inputs, newest first, state[b,c,j] = k[b,c,L−1−j]
 * (0 where the prompt is shorter than N). Generation only. Shapes: k [B,d,L] → state [B,d,N].
 * @example
 * const stateK = noGrad(() => shiftSsmState(k, 64)); // k [1, 768, 1024] → [1, 768, 64]
 */
export function shiftSsmState(k: Tensor, N: number): Tensor {
  const fn = 'shiftSsmState';
  const backend = checkInputs(fn, { k });
  if (k.rank !== 3) throw new ShapeError(fn, 'k', '[B, d, L]', `[${k.shape}]`);
  if (!Number.isInteger(N) || N < 1) throw new ShapeError(fn, 'N', 'a positive integer (the state size)', String(N));
  const [B, d, L] = k.shape;
  return new Tensor(backend.shiftSsmState(k.storage, { batch: B, channels: d, stateSize: N, length: L }), [B, d, N]);
}

/**
 * One token of the shift SSM: the history shifts by one with k in slot 0, **in place** on state, then
 * returns y = Σ_j kernel[j]·state[j] + D·k (a causal FIR filter of N taps). Generation only; one fused
 * dispatch on webgpu (N ≤ 256 there). Shapes: state [B,d,N], k [B,d], kernel [d,N], D [d] → y [B,d].
 * @example
 * const kTilde = noGrad(() => shiftSsmStep(stateK, k, kernel, D)); // stateK [1, 768, 64], k [1, 768] → [1, 768]
 */
export function shiftSsmStep(state: Tensor, k: Tensor, kernel: Tensor, D: Tensor): Tensor {
  const fn = 'shiftSsmStep';
  const backend = checkInputs(fn, { state, k, kernel, D });
  if (state.rank !== 3) throw new ShapeError(fn, 'state', '[B, d, N]', `[${state.shape}]`);
  const [B, d, N] = state.shape;
  const ctx = `state is [${state.shape}]`;
  expectShape(fn, 'k', k, [B, d], ctx);
  expectShape(fn, 'kernel', kernel, [d, N], ctx);
  expectShape(fn, 'D', D, [d], ctx);
  const p: ShiftSsmParams = { batch: B, channels: d, stateSize: N };
  return new Tensor(backend.shiftSsmStep(state.storage, k.storage, kernel.storage, D.storage, p), [B, d]);
}
