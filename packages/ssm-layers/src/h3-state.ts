// The recurrent state of an H3 layer for a batch of sequences, and the per-token updates of its two SSMs:
// the shift SSM keeps the last N inputs of K; the diagonal SSM keeps N/2 complex modes per channel, scaled
// so that x ← Ā ⊙ x + z and y = 2·Re Σ W x + D·z (B̄ folded into W = C·B̄).
import { Tensor, diagSsmState, diagSsmStep, keep, shiftSsmState, shiftSsmStep } from '@hippo/tensor';
import type { MixerState } from './mixer.js';
import { ownCopy, repeatRows } from './repeat-rows.js';

/** What the step needs from the layer's parameters, computed once per generation (the official `_setup_step`). */
export interface StepSsm {
  /** d_model. */
  channels: number;
  /** Diagonal SSM channels H = d / m. */
  heads: number;
  headDim: number;
  stateSize: number;
  /** The shift SSM's FIR kernel [d, N] (owned by the state). */
  shiftKernel: Tensor;
  /** ssm_k_D [d] (a parameter). */
  shiftD: Tensor;
  /** Ā, W [H, N/2, 2] (owned by the state). */
  A: Tensor;
  W: Tensor;
  /** D [H] (a parameter). */
  D: Tensor;
}

export class H3State implements MixerState {
  private constructor(
    readonly ssm: StepSsm,
    readonly batch: number,
    /** Last N inputs of the shift SSM, latest first: [B, d, N]. */
    readonly shift: Tensor,
    /** Diagonal SSM modes [B·m², H, N/2, 2]. */
    readonly diag: Tensor,
  ) {}

  static zeros(ssm: StepSsm, batch: number): H3State {
    const be = ssm.A.backend;
    const m2 = ssm.headDim * ssm.headDim;
    const shift = keep(Tensor.zeros(be, [batch, ssm.channels, ssm.stateSize]));
    const diag = keep(Tensor.zeros(be, [batch * m2, ssm.heads, ssm.stateSize / 2, 2]));
    return new H3State(ssm, batch, shift, diag);
  }

  /** The state after a whole sequence: k [B, d, L] (the shift SSM's input), z [B·m², H, L] (the diagonal's). */
  static fromSequence(ssm: StepSsm, k: Tensor, z: Tensor): H3State {
    const shift = keep(shiftSsmState(k, ssm.stateSize));
    const diag = keep(diagSsmState(z, ssm.A));
    return new H3State(ssm, k.shape[0], shift, diag);
  }

  /** k [B, d] → K̃ [B, d] = shift-SSM output plus skip; pushes k into the history. */
  shiftStep(k: Tensor): Tensor {
    return shiftSsmStep(this.shift, k, this.ssm.shiftKernel, this.ssm.shiftD);
  }

  /** z [B·m², H] → y [B·m², H]; advances the modes. */
  diagStep(z: Tensor): Tensor {
    return diagSsmStep(this.diag, z, this.ssm.A, this.ssm.W, this.ssm.D);
  }

  repeat(n: number): H3State {
    const ssm = { ...this.ssm, shiftKernel: ownCopy(this.ssm.shiftKernel), A: ownCopy(this.ssm.A), W: ownCopy(this.ssm.W) };
    return new H3State(ssm, this.batch * n, repeatRows(this.shift, this.batch, n), repeatRows(this.diag, this.batch, n));
  }

  dispose(): void {
    for (const t of [this.shift, this.diag, this.ssm.shiftKernel, this.ssm.A, this.ssm.W]) t.dispose();
  }
}
