// The S4D diagonal SSM of H3 (official `SSKernelDiag`, bilinear discretisation, real part stored as
// log(−Re A)): parameters, S4D-Lin / S4D-Inv initialisation, the length-L convolution kernel, and the
// discretised (Ā, C·B̄) pair the recurrent step uses.
import { Module, Tensor, add, concat, div, exp, initTensor, mul, mulScalar, neg, noGrad, reshape, s4dKernel, slice, sub, type InitOptions } from '@hippo/tensor';

export type S4DInit = 'lin' | 'inv';

export interface S4DKernelOptions extends InitOptions {
  /** Number of SSM channels H (d_model / head_dim in H3). */
  channels: number;
  /** Real state size N; the kernel keeps N/2 complex modes (their conjugates are implicit). Default 64. */
  stateSize?: number;
  /** Imaginary parts of A: S4D-Lin π·n (H3's default) or S4D-Inv (N/π)(N/(2n+1) − 1). */
  init?: S4DInit;
  /** Range of the step size Δ, drawn log-uniformly. Default [0.001, 0.1]. */
  dtMin?: number;
  dtMax?: number;
}

/** Ā and W = C·B̄ [H, N/2, 2] (re, im): the recurrence x ← Ā x + u, y = 2·Re Σ W x gives the kernel's output. */
export interface DiscreteS4D {
  A: Tensor;
  W: Tensor;
}

export class S4DKernel extends Module {
  readonly channels: number;
  readonly modes: number;
  /** log Δ [H]. */
  readonly log_dt: Tensor;
  /** log(−Re A) [H, N/2]. */
  readonly inv_A_real: Tensor;
  /** Im A [H, N/2]. */
  readonly A_imag: Tensor;
  /** B [H, N/2, 2] (complex). */
  readonly B: Tensor;
  /** C [1, H, N/2, 2] (complex; the leading 1 is the official `channels` axis). */
  readonly C: Tensor;

  constructor(opts: S4DKernelOptions) {
    super();
    const H = (this.channels = opts.channels);
    const N = opts.stateSize ?? 64;
    if (!(N >= 2 && N % 2 === 0)) throw new Error(`S4DKernel: stateSize must be even and ≥ 2, got ${N}`);
    const M = (this.modes = N / 2);
    const [lo, hi] = [Math.log(opts.dtMin ?? 0.001), Math.log(opts.dtMax ?? 0.1)];
    this.log_dt = this.param('log_dt', initTensor(opts, [H], (r, o) => r.fillUniform(o, lo, hi)));
    // Re A = −0.5 for every mode, stored as log(0.5).
    this.inv_A_real = this.param('inv_A_real', initTensor(opts, [H, M], (_, o) => o.fill(Math.log(0.5))));
    const imag = opts.init === 'inv' ? (n: number) => (N / Math.PI) * (N / (2 * n + 1) - 1) : (n: number) => Math.PI * n;
    this.A_imag = this.param('A_imag', initTensor(opts, [H, M], (_, o) => o.forEach((__, i) => (o[i] = imag(i % M)))));
    this.B = this.param('B', initTensor(opts, [H, M, 2], (_, o) => o.forEach((__, i) => (o[i] = i % 2 === 0 ? 1 : 0))));
    // Complex standard normal: real and imaginary parts each of variance 1/2.
    this.C = this.param('C', initTensor(opts, [1, H, M, 2], (r, o) => r.fillNormal(o, 0, Math.SQRT1_2)));
  }

  /** The convolution kernel K [H, L], K[h, l] = 2·Re Σ_n C_n B̄_n Ā_n^l. */
  forward(length: number): Tensor {
    const C = reshape(this.C, [this.channels, this.modes, 2]);
    return s4dKernel(this.log_dt, this.inv_A_real, this.A_imag, this.B, C, length);
  }

  /**
   * The bilinear discretisation as tensors (no gradients): Ā = (1 + ΔA/2)/(1 − ΔA/2), B̄ = ΔB/(1 − ΔA/2),
   * returned as Ā and W = C·B̄, both [H, N/2, 2].
   */
  discretize(): DiscreteS4D {
    return noGrad(() => {
      const H = this.channels;
      const dt = reshape(exp(this.log_dt), [H, 1]);
      const halfRe = mulScalar(mul(neg(exp(this.inv_A_real)), dt), 0.5); // Re(ΔA)/2
      const halfIm = mulScalar(mul(this.A_imag, dt), 0.5); // Im(ΔA)/2
      // 1/(1 − ΔA/2) = (1 − Re/2 + i·Im/2) / |1 − ΔA/2|²
      const denRe = neg(halfRe).addScalar(1);
      const norm = add(mul(denRe, denRe), mul(halfIm, halfIm));
      const invRe = div(denRe, norm);
      const invIm = div(halfIm, norm);
      const numRe = halfRe.addScalar(1);
      const A = complex(sub(mul(numRe, invRe), mul(halfIm, invIm)), add(mul(numRe, invIm), mul(halfIm, invRe)));
      const [bRe, bIm] = parts(this.B);
      const dtB = complex(mul(bRe, dt), mul(bIm, dt));
      const Bbar = cmul(dtB, complex(invRe, invIm));
      const W = cmul(reshape(this.C, [H, this.modes, 2]), Bbar);
      return { A, W };
    });
  }
}

/** [.., 2] → re, im [..]. */
function parts(z: Tensor): [Tensor, Tensor] {
  const shape = z.shape.slice(0, -1);
  return [reshape(slice(z, -1, 0, 1), shape), reshape(slice(z, -1, 1, 2), shape)];
}

/** re, im [..] → [.., 2]. */
function complex(re: Tensor, im: Tensor): Tensor {
  return concat([reshape(re, [...re.shape, 1]), reshape(im, [...im.shape, 1])], -1);
}

function cmul(a: Tensor, b: Tensor): Tensor {
  const [ar, ai] = parts(a);
  const [br, bi] = parts(b);
  return complex(sub(mul(ar, br), mul(ai, bi)), add(mul(ar, bi), mul(ai, br)));
}
