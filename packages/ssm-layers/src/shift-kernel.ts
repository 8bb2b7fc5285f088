// The shift SSM of H3 (official `SSKernelShift`): A is the fixed shift matrix, B and C are trained, so the
// SSM is a learnable causal FIR filter of N taps per channel, k[j] = Σ_m B[m]·C[m + j].
import { Module, initTensor, reshape, shiftKernel, type InitOptions, type Tensor } from '@hippo/tensor';

export interface ShiftKernelOptions extends InitOptions {
  /** Channels (d_model: one shift SSM per model channel). */
  channels: number;
  /** State size N = number of taps. Default 64. */
  stateSize?: number;
}

export class ShiftKernel extends Module {
  readonly channels: number;
  readonly stateSize: number;
  /** B [d, N], initialised to e₁ (so k = C at init). */
  readonly B: Tensor;
  /** C [1, d, N] ~ U(−1/√N, 1/√N) (nn.Conv1d's default). */
  readonly C: Tensor;

  constructor(opts: ShiftKernelOptions) {
    super();
    const d = (this.channels = opts.channels);
    const N = (this.stateSize = opts.stateSize ?? 64);
    this.B = this.param('B', initTensor(opts, [d, N], (_, o) => o.forEach((__, i) => (o[i] = i % N === 0 ? 1 : 0))));
    const bound = 1 / Math.sqrt(N);
    this.C = this.param('C', initTensor(opts, [1, d, N], (r, o) => r.fillUniform(o, -bound, bound)));
  }

  /** The FIR kernel k [d, min(N, L)] for a sequence of length L. */
  forward(length: number): Tensor {
    return shiftKernel(this.B, reshape(this.C, [this.channels, this.stateSize]), length);
  }
}
