// The H3 layer (Fu, Dao et al. 2023, Algorithm 1; official `H3` module): Q/K/V projections, a shift SSM on K
// (plus its skip term), the product K̃ ⊙ V, a diagonal SSM (plus skip), the product with Q, an output
// projection. head_dim m > 1 forms per-head outer products K̃ Vᵀ (the multi-head H3); output channel h·m + j.
import {
  Dropout,
  Linear,
  Module,
  Tensor,
  fftConv,
  initTensor,
  keep,
  mul,
  noGrad,
  permute,
  reshape,
  sum,
  tidy,
  transpose,
  type InitOptions,
} from '@hippo/tensor';
import { H3State, type StepSsm } from './h3-state.js';
import type { SequenceMixer } from './mixer.js';
import { S4DKernel, type S4DInit } from './s4d-kernel.js';
import { SSKernel } from './ss-kernel.js';
import { ShiftKernel } from './shift-kernel.js';

export interface H3Options extends InitOptions {
  dModel: number;
  /** State size N of both SSMs (64 in every released model). */
  stateSize?: number;
  /** Channels per head m (1 in the released models); must divide dModel. */
  headDim?: number;
  /** Dropout after the output projection (0 in the released models). */
  dropout?: number;
  /** S4D initialisation of the diagonal SSM. Default 'lin'. */
  init?: S4DInit;
  /** Std of the linear layers' normal initialisation (default: PyTorch's uniform). */
  std?: number;
}

export class H3 extends Module implements SequenceMixer<H3State> {
  readonly dModel: number;
  readonly headDim: number;
  /** Diagonal SSM channels H = dModel / headDim. */
  readonly heads: number;
  readonly stateSize: number;
  readonly q_proj: Linear;
  readonly k_proj: Linear;
  readonly v_proj: Linear;
  readonly output_linear: Linear;
  readonly ssm_k_kernel: SSKernel<ShiftKernel>;
  /** Skip term of the shift SSM [d]. */
  readonly ssm_k_D: Tensor;
  readonly kernel: SSKernel<S4DKernel>;
  /** Skip term of the diagonal SSM [H]. */
  readonly D: Tensor;
  readonly drop: Dropout;

  constructor(opts: H3Options) {
    super();
    const d = (this.dModel = opts.dModel);
    const m = (this.headDim = opts.headDim ?? 1);
    if (!(Number.isInteger(m) && m >= 1 && d % m === 0)) throw new Error(`H3: headDim ${m} must be a positive divisor of dModel ${d}`);
    const H = (this.heads = d / m);
    const N = (this.stateSize = opts.stateSize ?? 64);
    this.q_proj = this.child('q_proj', new Linear(d, d, opts));
    this.k_proj = this.child('k_proj', new Linear(d, d, opts));
    this.v_proj = this.child('v_proj', new Linear(d, d, opts));
    this.ssm_k_kernel = this.child('ssm_k_kernel', new SSKernel(new ShiftKernel({ ...opts, channels: d, stateSize: N })));
    this.ssm_k_D = this.param('ssm_k_D', initTensor(opts, [d], (r, o) => r.fillNormal(o)));
    this.kernel = this.child('kernel', new SSKernel(new S4DKernel({ ...opts, channels: H, stateSize: N })));
    this.D = this.param('D', initTensor(opts, [H], (r, o) => r.fillNormal(o)));
    this.output_linear = this.child('output_linear', new Linear(d, d, opts));
    this.drop = this.child('drop', new Dropout(opts.dropout ?? 0, opts.rng));
  }

  forward(x: Tensor): Tensor {
    return this.run(x, false).y;
  }

  prefill(x: Tensor): { y: Tensor; state: H3State } {
    return noGrad(() => {
      const { y, state } = this.run(x, true);
      return { y, state: state! };
    });
  }

  /** x [B, L, d]; with `withState`, also the recurrent state after the last token. */
  private run(x: Tensor, withState: boolean): { y: Tensor; state?: H3State } {
    if (x.rank !== 3 || x.shape[2] !== this.dModel) throw new Error(`H3.forward: x must be [B, L, ${this.dModel}], got [${x.shape}]`);
    const [B, L] = x.shape;
    const { heads: H, headDim: m, dModel: d } = this;
    const [q, k, v] = [this.q_proj, this.k_proj, this.v_proj].map((p) => transpose(p.forward(x), 1, 2)); // [B, d, L]
    const kShift = fftConv(k, this.ssm_k_kernel.kernel.forward(L), this.ssm_k_D); // K̃ [B, d, L]
    // z: the diagonal SSM's input, [B·m², H, L] (for m = 1 simply K̃ ⊙ V)
    const z =
      m === 1
        ? mul(kShift, v)
        : reshape(permute(mul(reshape(kShift, [B, H, m, 1, L]), reshape(v, [B, H, 1, m, L])), [0, 2, 3, 1, 4]), [B * m * m, H, L]);
    const s = fftConv(z, this.kernel.kernel.forward(L), this.D);
    const o =
      m === 1
        ? mul(q, s)
        : reshape(sum(mul(reshape(q, [B, H, m, 1, L]), permute(reshape(s, [B, m, m, H, L]), [0, 3, 1, 2, 4])), 2), [B, d, L]);
    const y = this.drop.forward(this.output_linear.forward(transpose(o, 1, 2)));
    if (!withState) return { y };
    return { y, state: H3State.fromSequence(this.stepSsm(), k, z) };
  }

  defaultState(batch: number): H3State {
    return H3State.zeros(this.stepSsm(), batch);
  }

  step(x: Tensor, state: H3State): Tensor {
    if (x.rank !== 2 || x.shape[1] !== this.dModel || x.shape[0] !== state.batch)
      throw new Error(`H3.step: x must be [${state.batch}, ${this.dModel}], got [${x.shape}]`);
    return noGrad(() =>
      tidy(() => {
        const B = state.batch;
        const { heads: H, headDim: m, dModel: d } = this;
        const [q, k, v] = [this.q_proj, this.k_proj, this.v_proj].map((p) => p.forward(x)); // [B, d]
        const kShift = state.shiftStep(k);
        const z = m === 1 ? mul(kShift, v) : reshape(permute(mul(reshape(kShift, [B, H, m, 1]), reshape(v, [B, H, 1, m])), [0, 2, 3, 1]), [B * m * m, H]);
        const s = state.diagStep(z);
        const o = m === 1 ? mul(q, s) : reshape(sum(mul(reshape(q, [B, H, m, 1]), permute(reshape(s, [B, m, m, H]), [0, 3, 1, 2])), 2), [B, d]);
        return this.output_linear.forward(o);
      }),
    );
  }

  /** The step-form constants, computed from the current parameters. */
  private stepSsm(): StepSsm {
    return noGrad(() => {
      const shiftKernel = keep(this.ssm_k_kernel.kernel.forward(this.stateSize));
      const { A, W } = this.kernel.kernel.discretize();
      return { channels: this.dModel, heads: this.heads, headDim: this.headDim, stateSize: this.stateSize, shiftKernel, shiftD: this.ssm_k_D, A: keep(A), W: keep(W), D: this.D };
    });
  }

  ssmParameters(): Tensor[] {
    const diag = this.kernel.kernel;
    return [diag.log_dt, diag.inv_A_real, diag.A_imag, diag.B, this.ssm_k_kernel.kernel.B];
  }
}
