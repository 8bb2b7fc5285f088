// The mixers under test, built identically on any backend (parameters are drawn on the host from a seeded
// generator), and helpers that run them token by token.
import { Rng } from '@hippo/kernels';
import { Tensor, concat, noGrad, reshape, slice, tidy, type Backend, type Module } from '@hippo/tensor';
import { H3, S4DMixer, ShiftGatedMixer, type MixerState, type SequenceMixer } from '../src/index.js';

export type AnyMixer = Module & SequenceMixer<MixerState>;

export interface MixerCase {
  name: string;
  make: (backend: Backend, seed: number, dtype?: 'f32' | 'f64') => AnyMixer;
}

/** Small shapes: d = 8 channels, state size 8 (4 complex modes) unless the case says otherwise. */
export const MIXER_CASES: MixerCase[] = [
  { name: 'H3 head_dim 1', make: (backend, seed, dtype) => new H3({ backend, rng: new Rng(seed), dtype, dModel: 8, stateSize: 8 }) },
  { name: 'H3 head_dim 2', make: (backend, seed, dtype) => new H3({ backend, rng: new Rng(seed), dtype, dModel: 8, stateSize: 8, headDim: 2 }) },
  { name: 'H3 head_dim 4, S4D-Inv', make: (backend, seed, dtype) => new H3({ backend, rng: new Rng(seed), dtype, dModel: 8, stateSize: 6, headDim: 4, init: 'inv' }) },
  { name: 'S4D mixer', make: (backend, seed, dtype) => new S4DMixer({ backend, rng: new Rng(seed), dtype, dModel: 8, stateSize: 8 }) },
  { name: 'shift-gated mixer', make: (backend, seed, dtype) => new ShiftGatedMixer({ backend, rng: new Rng(seed), dtype, dModel: 8, stateSize: 8 }) },
];

/** x [B, L, d] ~ N(0, 1) on `backend`. */
export function randomInput(backend: Backend, rng: Rng, shape: [number, number, number], dtype: 'f32' | 'f64' = 'f32'): Tensor {
  const n = shape[0] * shape[1] * shape[2];
  return Tensor.fromArray(backend, rng.fillNormal(dtype === 'f64' ? new Float64Array(n) : new Float32Array(n)), shape);
}

/** Runs `step` over tokens from..L−1 of x [B, L, d] and stacks the outputs [B, L − from, d]. */
export function stepThrough(mixer: AnyMixer, x: Tensor, state: MixerState, from = 0): Tensor {
  const [B, L, d] = x.shape;
  return noGrad(() =>
    tidy(() => {
      const ys: Tensor[] = [];
      for (let t = from; t < L; t++) ys.push(reshape(mixer.step(reshape(slice(x, 1, t, t + 1), [B, d]), state), [B, 1, d]));
      return concat(ys, 1);
    }),
  );
}
