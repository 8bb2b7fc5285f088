// The basic layers. Initialisations follow PyTorch's defaults unless stated.
import { dropout } from '../ops/unary.js';
import { embedding, layerNorm } from '../ops/nn-ops.js';
import { linear } from '../ops/matmul.js';
import type { Tensor } from '../tensor.js';
import { Module, initTensor, type InitOptions } from './module.js';

/** y [..., out] = x [..., in] Wᵀ + b; W [out, in], b [out] ~ U(−1/√in, 1/√in) (PyTorch's default). */
export class Linear extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | null;
  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    opts: InitOptions & { bias?: boolean; std?: number },
  ) {
    super();
    const bound = 1 / Math.sqrt(inFeatures);
    const w = opts.std === undefined ? (r: typeof opts.rng, o: Float32Array) => r.fillUniform(o, -bound, bound) : (r: typeof opts.rng, o: Float32Array) => r.fillNormal(o, 0, opts.std);
    this.weight = this.param('weight', initTensor(opts, [outFeatures, inFeatures], w));
    this.bias = opts.bias === false ? null : this.param('bias', initTensor(opts, [outFeatures], opts.std === undefined ? (r, o) => r.fillUniform(o, -bound, bound) : () => {}));
  }
  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }
}

/** Token embedding: weight [V, D] ~ N(0, std²) (std 1 as PyTorch; GPT-style models pass 0.02). */
export class Embedding extends Module {
  readonly weight: Tensor;
  constructor(
    readonly numEmbeddings: number,
    readonly dim: number,
    opts: InitOptions & { std?: number },
  ) {
    super();
    this.weight = this.param('weight', initTensor(opts, [numEmbeddings, dim], (r, o) => r.fillNormal(o, 0, opts.std ?? 1)));
  }
  /** ids [n] (or `shape`) → [...shape, D]. */
  forward(ids: Int32Array | Tensor, shape?: readonly number[]): Tensor {
    return embedding(this.weight, ids, shape);
  }
}

/** LayerNorm over the last dim; weight = 1, bias = 0. */
export class LayerNorm extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor;
  readonly eps: number;
  constructor(
    readonly dim: number,
    opts: InitOptions & { eps?: number },
  ) {
    super();
    this.eps = opts.eps ?? 1e-5;
    this.weight = this.param('weight', initTensor(opts, [dim], (_, o) => o.fill(1)));
    this.bias = this.param('bias', initTensor(opts, [dim], () => {}));
  }
  forward(x: Tensor): Tensor {
    return layerNorm(x, this.weight, this.bias, this.eps);
  }
}

/** Inverted dropout in training mode; identity in eval mode. Masks come from the layer's own seeded stream. */
export class Dropout extends Module {
  constructor(
    readonly p: number,
    /** The mask stream (shared by a model's dropout layers; its state goes into training checkpoints). */
    readonly rng: InitOptions['rng'],
  ) {
    super();
  }
  forward(x: Tensor): Tensor {
    return this.training && this.p > 0 ? dropout(x, this.p, this.rng.nextU32()) : x;
  }
}

/** The transformer MLP: fc1 [D → hidden] → GELU (tanh) → fc2 [hidden → D] → dropout. */
export class MLP extends Module {
  readonly fc1: Linear;
  readonly fc2: Linear;
  readonly drop: Dropout;
  constructor(dim: number, opts: InitOptions & { hidden?: number; dropout?: number; std?: number }) {
    super();
    const hidden = opts.hidden ?? 4 * dim;
    this.fc1 = this.child('fc1', new Linear(dim, hidden, opts));
    this.fc2 = this.child('fc2', new Linear(hidden, dim, opts));
    this.drop = this.child('drop', new Dropout(opts.dropout ?? 0, opts.rng));
  }
  forward(x: Tensor): Tensor {
    return this.drop.forward(this.fc2.forward(this.fc1.forward(x).gelu()));
  }
}
