// The shift-only baseline mixer (§8.4 of the H3 reference): H3 without its diagonal SSM,
// out = W_o (Q ⊙ (shift(K) + D_k·K) ⊙ V). It compares nearby tokens through the gates but carries nothing
// further than the shift SSM's N taps, the ablation that shows why H3 needs both SSMs.
import {
  Linear,
  Module,
  Tensor,
  fftConv,
  initTensor,
  keep,
  mul,
  noGrad,
  shiftSsmState,
  shiftSsmStep,
  tidy,
  transpose,
  type InitOptions,
} from '@hippo/tensor';
import type { MixerState, SequenceMixer } from './mixer.js';
import { SSKernel } from './ss-kernel.js';
import { ShiftKernel } from './shift-kernel.js';
import { ownCopy, repeatRows } from './repeat-rows.js';

export interface ShiftGatedMixerOptions extends InitOptions {
  dModel: number;
  stateSize?: number;
  /** Std of the linear layers' normal initialisation (default: PyTorch's uniform). */
  std?: number;
}

export class ShiftGatedState implements MixerState {
  constructor(
    readonly batch: number,
    /** Last N inputs of K, latest first: [B, d, N]. */
    readonly history: Tensor,
    /** The FIR kernel [d, N]. */
    readonly kernel: Tensor,
  ) {}
  repeat(n: number): ShiftGatedState {
    return new ShiftGatedState(this.batch * n, repeatRows(this.history, this.batch, n), ownCopy(this.kernel));
  }
  dispose(): void {
    this.history.dispose();
    this.kernel.dispose();
  }
}

export class ShiftGatedMixer extends Module implements SequenceMixer<ShiftGatedState> {
  readonly dModel: number;
  readonly stateSize: number;
  readonly q_proj: Linear;
  readonly k_proj: Linear;
  readonly v_proj: Linear;
  readonly ssm_k_kernel: SSKernel<ShiftKernel>;
  readonly ssm_k_D: Tensor;
  readonly output_linear: Linear;

  constructor(opts: ShiftGatedMixerOptions) {
    super();
    const d = (this.dModel = opts.dModel);
    const N = (this.stateSize = opts.stateSize ?? 64);
    this.q_proj = this.child('q_proj', new Linear(d, d, opts));
    this.k_proj = this.child('k_proj', new Linear(d, d, opts));
    this.v_proj = this.child('v_proj', new Linear(d, d, opts));
    this.ssm_k_kernel = this.child('ssm_k_kernel', new SSKernel(new ShiftKernel({ ...opts, channels: d, stateSize: N })));
    this.ssm_k_D = this.param('ssm_k_D', initTensor(opts, [d], (r, o) => r.fillNormal(o)));
    this.output_linear = this.child('output_linear', new Linear(d, d, opts));
  }

  forward(x: Tensor): Tensor {
    return this.run(x).y;
  }

  prefill(x: Tensor): { y: Tensor; state: ShiftGatedState } {
    return noGrad(() => {
      const { y, k } = this.run(x);
      const history = shiftSsmState(k, this.stateSize);
      return { y, state: new ShiftGatedState(x.shape[0], keep(history), keep(this.ssm_k_kernel.kernel.forward(this.stateSize))) };
    });
  }

  /** x [B, L, d] → the output and K transposed [B, d, L] (the shift SSM's input, for the prefill state). */
  private run(x: Tensor): { y: Tensor; k: Tensor } {
    const [q, k, v] = [this.q_proj, this.k_proj, this.v_proj].map((p) => p.forward(x));
    const kT = transpose(k, 1, 2);
    const kShift = fftConv(kT, this.ssm_k_kernel.kernel.forward(x.shape[1]), this.ssm_k_D);
    return { y: this.output_linear.forward(mul(mul(q, transpose(kShift, 1, 2)), v)), k: kT };
  }

  defaultState(batch: number): ShiftGatedState {
    return noGrad(() => {
      const kernel = keep(this.ssm_k_kernel.kernel.forward(this.stateSize));
      return new ShiftGatedState(batch, keep(Tensor.zeros(kernel.backend, [batch, this.dModel, this.stateSize])), kernel);
    });
  }

  step(x: Tensor, state: ShiftGatedState): Tensor {
    return noGrad(() =>
      tidy(() => {
        const [q, k, v] = [this.q_proj, this.k_proj, this.v_proj].map((p) => p.forward(x));
        const kShift = shiftSsmStep(state.history, k, state.kernel, this.ssm_k_D);
        return this.output_linear.forward(mul(mul(q, kShift), v));
      }),
    );
  }

  ssmParameters(): Tensor[] {
    return [this.ssm_k_kernel.kernel.B];
  }
}
