// Module: named parameters and sub-modules, so a state dict has stable dotted names ("mlp.fc1.weight").
import { Rng, ShapeError } from '@hippo/kernels';
import type { Backend } from '../backend/backend.js';
import type { AnyTypedArray } from '../dtype.js';
import { Tensor } from '../tensor.js';

/** What every layer needs at construction: where its tensors live and the seeded generator for init. */
export interface InitOptions {
  backend: Backend;
  rng: Rng;
  /** Parameter dtype; 'f64' (cpu backend only) is for gradient checks. Default 'f32'. */
  dtype?: 'f32' | 'f64';
}

export abstract class Module {
  /** Dropout and similar layers act only in training mode. */
  training = true;
  private readonly params = new Map<string, Tensor>();
  private readonly children = new Map<string, Module>();

  /** Registers a trainable parameter (kept alive across tidy scopes) under `name`. */
  protected param(name: string, t: Tensor): Tensor {
    if (this.params.has(name) || this.children.has(name)) throw new Error(`${this.constructor.name}: '${name}' registered twice`);
    t.requiresGrad = true;
    t.keep();
    this.params.set(name, t);
    return t;
  }

  /** Registers a sub-module under `name`. */
  protected child<M extends Module>(name: string, m: M): M {
    if (this.params.has(name) || this.children.has(name)) throw new Error(`${this.constructor.name}: '${name}' registered twice`);
    this.children.set(name, m);
    return m;
  }

  /** All parameters with dotted names, in registration order. */
  namedParameters(prefix = ''): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [n, t] of this.params) out.push([prefix + n, t]);
    for (const [n, m] of this.children) out.push(...m.namedParameters(`${prefix}${n}.`));
    return out;
  }

  parameters(): Tensor[] {
    return this.namedParameters().map(([, t]) => t);
  }

  /** Total number of parameter elements. */
  numParameters(): number {
    return this.parameters().reduce((n, t) => n + t.size, 0);
  }

  stateDict(): Map<string, Tensor> {
    return new Map(this.namedParameters());
  }

  /**
   * Copies values into the parameters by name. strict (default): every parameter must be present and no
   * unknown names given; shapes must match.
   */
  loadStateDict(state: Map<string, { shape: readonly number[]; data: AnyTypedArray }>, strict = true): void {
    const own = this.stateDict();
    if (strict) {
      const missing = [...own.keys()].filter((k) => !state.has(k));
      const unknown = [...state.keys()].filter((k) => !own.has(k));
      if (missing.length || unknown.length)
        throw new Error(`loadStateDict: missing [${missing.join(', ')}]; unexpected [${unknown.join(', ')}]`);
    }
    for (const [name, t] of own) {
      const src = state.get(name);
      if (!src) continue;
      if (src.shape.join() !== t.shape.join()) throw new ShapeError('loadStateDict', name, `[${t.shape}]`, `[${src.shape}]`);
      t.assign(src.data);
    }
  }

  /** Sets training mode here and in every sub-module. */
  train(mode = true): this {
    this.training = mode;
    for (const m of this.children.values()) m.train(mode);
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  /** Clears the gradients of every parameter. */
  zeroGrad(): void {
    for (const t of this.parameters()) {
      t.grad?.dispose();
      t.grad = null;
    }
  }
}

/** A tensor of `shape` initialised on the host from `rng` (so both backends start from identical values). */
export function initTensor(opts: InitOptions, shape: readonly number[], init: (rng: Rng, out: Float32Array) => void): Tensor {
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  init(opts.rng, data);
  return Tensor.fromArray(opts.backend, opts.dtype === 'f64' ? Float64Array.from(data) : data, shape);
}
