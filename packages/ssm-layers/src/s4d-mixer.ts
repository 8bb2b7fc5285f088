// The S4D-only baseline mixer of the paper's comparisons (§8.4 of the H3 reference): one diagonal SSM per
// channel (y = K ∗ u + D·u), GELU, then a pointwise linear layer to 2d and a GLU — the S4D block of the
// state-spaces code, with H3's bilinear S4D-Lin kernel. It has no multiplicative interaction, which is why
// it fails at associative recall.
import {
  Linear,
  Module,
  Tensor,
  diagSsmState,
  diagSsmStep,
  fftConv,
  initTensor,
  keep,
  mul,
  noGrad,
  slice,
  tidy,
  transpose,
  type InitOptions,
} from '@hippo/tensor';
import type { MixerState, SequenceMixer } from './mixer.js';
import { S4DKernel, type S4DInit } from './s4d-kernel.js';
import { ownCopy, repeatRows } from './repeat-rows.js';
import { SSKernel } from './ss-kernel.js';

export interface S4DMixerOptions extends InitOptions {
  dModel: number;
  stateSize?: number;
  init?: S4DInit;
  /** Std of the linear layers' normal initialisation (default: PyTorch's uniform). */
  std?: number;
}

export class S4DMixerState implements MixerState {
  constructor(
    readonly batch: number,
    /** Modes [B, d, N/2, 2]. */
    readonly modes: Tensor,
    /** Ā, W = C·B̄ [d, N/2, 2] (see S4DKernel.discretize). */
    readonly A: Tensor,
    readonly W: Tensor,
  ) {}
  step(u: Tensor, D: Tensor): Tensor {
    return diagSsmStep(this.modes, u, this.A, this.W, D);
  }
  repeat(n: number): S4DMixerState {
    return new S4DMixerState(this.batch * n, repeatRows(this.modes, this.batch, n), ownCopy(this.A), ownCopy(this.W));
  }
  dispose(): void {
    for (const t of [this.modes, this.A, this.W]) t.dispose();
  }
}

export class S4DMixer extends Module implements SequenceMixer<S4DMixerState> {
  readonly dModel: number;
  readonly kernel: SSKernel<S4DKernel>;
  readonly D: Tensor;
  readonly output_linear: Linear;

  constructor(opts: S4DMixerOptions) {
    super();
    const d = (this.dModel = opts.dModel);
    this.kernel = this.child('kernel', new SSKernel(new S4DKernel({ ...opts, channels: d })));
    this.D = this.param('D', initTensor(opts, [d], (r, o) => r.fillNormal(o)));
    this.output_linear = this.child('output_linear', new Linear(d, 2 * d, opts));
  }

  forward(x: Tensor): Tensor {
    return this.run(transpose(x, 1, 2));
  }

  prefill(x: Tensor): { y: Tensor; state: S4DMixerState } {
    return noGrad(() => {
      const u = transpose(x, 1, 2);
      const y = this.run(u);
      const { A, W } = this.kernel.kernel.discretize();
      const modes = diagSsmState(u, A);
      return { y, state: new S4DMixerState(x.shape[0], keep(modes), keep(A), keep(W)) };
    });
  }

  defaultState(batch: number): S4DMixerState {
    const { A, W } = this.kernel.kernel.discretize();
    const modes = Tensor.zeros(A.backend, [batch, this.dModel, this.kernel.kernel.modes, 2]);
    return new S4DMixerState(batch, keep(modes), keep(A), keep(W));
  }

  step(x: Tensor, state: S4DMixerState): Tensor {
    return noGrad(() => tidy(() => this.glu(state.step(x, this.D).gelu())));
  }

  /** u [B, d, L] → GLU(GELU(K ∗ u + D·u)) [B, L, d]. */
  private run(u: Tensor): Tensor {
    const y = fftConv(u, this.kernel.kernel.forward(u.shape[2]), this.D);
    return this.glu(transpose(y, 1, 2).gelu());
  }

  ssmParameters(): Tensor[] {
    const k = this.kernel.kernel;
    return [k.log_dt, k.inv_A_real, k.A_imag, k.B];
  }

  /** [.., d] → Linear to [.., 2d] → a ⊙ σ(b). */
  private glu(h: Tensor): Tensor {
    const ab = this.output_linear.forward(h);
    const d = this.dModel;
    return mul(slice(ab, -1, 0, d), slice(ab, -1, d, 2 * d).sigmoid());
  }
}
