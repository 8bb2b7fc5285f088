// A small MLP language model that exercises every op of the engine: each position sees the embeddings of its
// previous `context` tokens (concatenated through one Linear per offset), then a pre-norm residual MLP block
// and a final norm, and predicts the next token.
//   ids [B, L] → logits [B·L', V] with L' = L − context + 1 windows.
import { Embedding, LayerNorm, Linear, MLP, Module, Tensor, crossEntropy, type InitOptions } from '@hippo/tensor';

export interface MlpLmConfig {
  vocab: number;
  /** tokens each prediction sees */
  context: number;
  dim: number;
  hidden: number;
  dropout: number;
}

export class MlpLm extends Module {
  readonly embed: Embedding;
  readonly mix: Linear;
  readonly norm1: LayerNorm;
  readonly mlp: MLP;
  readonly norm2: LayerNorm;
  readonly head: Linear;

  constructor(
    readonly config: MlpLmConfig,
    opts: InitOptions,
  ) {
    super();
    const { vocab, context, dim, hidden } = config;
    this.embed = this.child('embed', new Embedding(vocab, dim, { ...opts, std: 0.1 }));
    this.mix = this.child('mix', new Linear(context * dim, dim, opts));
    this.norm1 = this.child('norm1', new LayerNorm(dim, opts));
    this.mlp = this.child('mlp', new MLP(dim, { ...opts, hidden, dropout: config.dropout }));
    this.norm2 = this.child('norm2', new LayerNorm(dim, opts));
    this.head = this.child('head', new Linear(dim, vocab, opts));
  }

  /** windows [n, context] token ids (host) → logits [n, V]. */
  forward(windows: Int32Array): Tensor {
    const { context, dim } = this.config;
    const n = windows.length / context;
    const e = this.embed.forward(windows, [n, context]).reshape([n, context * dim]);
    const h = this.mix.forward(e);
    const r = h.add(this.mlp.forward(this.norm1.forward(h)));
    return this.head.forward(this.norm2.forward(r));
  }

  /** Mean next-token cross-entropy over the windows. */
  loss(windows: Int32Array, targets: Int32Array): Tensor {
    return crossEntropy(this.forward(windows), targets);
  }
}

/** Every `context`-token window of `tokens` and the token after it. */
export function slidingWindows(tokens: Int32Array, context: number): { windows: Int32Array; targets: Int32Array } {
  const n = tokens.length - context;
  const windows = new Int32Array(n * context);
  const targets = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    windows.set(tokens.subarray(i, i + context), i * context);
    targets[i] = tokens[i + context];
  }
  return { windows, targets };
}
