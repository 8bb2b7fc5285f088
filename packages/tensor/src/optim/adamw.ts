// AdamW (Loshchilov & Hutter) with parameter groups: each group has its own learning rate and weight
// decay (H3 trains its SSM parameters with a smaller LR and no decay). Updates run in place on the backend.
import { Tensor } from '../tensor.js';

export interface ParamGroup {
  params: Tensor[];
  lr: number;
  weightDecay: number;
}

export interface AdamWOptions {
  betas?: [number, number];
  eps?: number;
}

/** Serializable optimiser state: step count, group hyper-parameters, moments in parameter order. */
export interface AdamWState {
  step: number;
  groups: { lr: number; weightDecay: number }[];
  m: (Tensor | null)[];
  v: (Tensor | null)[];
}

export class AdamW {
  readonly groups: ParamGroup[];
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  /** Multiplies every group's lr (set by a schedule each step). */
  lrFactor = 1;
  /** Number of steps taken. */
  stepCount = 0;
  private readonly m = new Map<Tensor, Tensor>();
  private readonly v = new Map<Tensor, Tensor>();

  constructor(groups: ParamGroup[], opts: AdamWOptions = {}) {
    const seen = new Set<Tensor>();
    for (const g of groups)
      for (const p of g.params) {
        if (seen.has(p)) throw new Error('AdamW: a parameter appears in two groups');
        seen.add(p);
      }
    this.groups = groups;
    [this.beta1, this.beta2] = opts.betas ?? [0.9, 0.999];
    this.eps = opts.eps ?? 1e-8;
  }

  /** Applies one update to every parameter that has a gradient; `gradScale` multiplies the gradients (clipping). */
  step(gradScale = 1): void {
    this.stepCount++;
    for (const g of this.groups) {
      for (const p of g.params) {
        if (!p.grad) continue;
        const m = this.moment(this.m, p);
        const v = this.moment(this.v, p);
        p.backend.adamw(p.storage, p.grad.storage, m.storage, v.storage, {
          n: p.size,
          lr: g.lr * this.lrFactor,
          beta1: this.beta1,
          beta2: this.beta2,
          eps: this.eps,
          weightDecay: g.weightDecay,
          step: this.stepCount,
          gradScale,
        });
      }
    }
  }

  /** Clears every parameter's gradient. */
  zeroGrad(): void {
    for (const g of this.groups)
      for (const p of g.params) {
        p.grad?.dispose();
        p.grad = null;
      }
  }

  state(): AdamWState {
    const params = this.groups.flatMap((g) => g.params);
    return {
      step: this.stepCount,
      groups: this.groups.map((g) => ({ lr: g.lr, weightDecay: g.weightDecay })),
      m: params.map((p) => this.m.get(p) ?? null),
      v: params.map((p) => this.v.get(p) ?? null),
    };
  }

  /**
   * Restores what `state()` returned (moments as host arrays, in the same parameter order; null = no moment
   * yet), so that a resumed run takes bit-identical steps.
   * @example opt.loadState({ step: 100, m: [Float32Array [n0], …], v: […] })
   */
  loadState(state: { step: number; m: (Float32Array | null)[]; v: (Float32Array | null)[] }): void {
    const params = this.groups.flatMap((g) => g.params);
    if (state.m.length !== params.length || state.v.length !== params.length)
      throw new Error(`AdamW.loadState: the state has ${state.m.length} m / ${state.v.length} v entries for ${params.length} parameters`);
    if (!(Number.isSafeInteger(state.step) && state.step >= 0)) throw new RangeError(`AdamW.loadState: step must be an integer ≥ 0; got ${state.step}`);
    params.forEach((p, i) => {
      for (const [store, data, name] of [[this.m, state.m[i], 'm'], [this.v, state.v[i], 'v']] as const) {
        store.get(p)?.dispose();
        store.delete(p);
        if (!data) continue;
        if (data.length !== p.size) throw new Error(`AdamW.loadState: ${name}[${i}] has ${data.length} values for a parameter [${p.shape}]`);
        this.moment(store, p).assign(data);
      }
    });
    this.stepCount = state.step;
  }

  private moment(store: Map<Tensor, Tensor>, p: Tensor): Tensor {
    let t = store.get(p);
    if (!t) {
      t = Tensor.zeros(p.backend, p.shape, p.dtype).keep();
      store.set(p, t);
    }
    return t;
  }
}
