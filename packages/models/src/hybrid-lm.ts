// The hybrid H3 language model (official `SSMLMHeadModel`): token embedding (no positions for H3 models),
// pre-norm blocks whose mixer is H3 or attention at the configured indices, final LayerNorm, and an LM head
// tied to the embedding. Parameter names equal the official state dict's (`backbone.layers.3.mixer.D`).
import { Dropout, Embedding, LayerNorm, Module, Rng, Tensor, crossEntropy, embedding, isGradEnabled, matmul, reshape, slice, tidy, type Backend } from '@hippo/tensor';
import { H3, S4DMixer, ShiftGatedMixer, type MixerState } from '@hippo/ssm-layers';
import { Attention } from './attention.js';
import { Block, type Mixer, type Stream } from './block.js';
import { mixerAt, paddedVocab, parseModelConfig, type ModelConfig, type ModelConfigInput } from './config.js';

class Embeddings extends Module {
  readonly word_embeddings: Embedding;
  readonly position_embeddings: Embedding | null;
  constructor(c: ModelConfig, opts: { backend: Backend; rng: Rng; dtype?: 'f32' | 'f64' }) {
    super();
    this.word_embeddings = this.child('word_embeddings', new Embedding(paddedVocab(c), c.dModel, { ...opts, std: c.initializerRange }));
    this.position_embeddings =
      c.maxPositionEmbeddings > 0 ? this.child('position_embeddings', new Embedding(c.maxPositionEmbeddings, c.dModel, { ...opts, std: c.initializerRange })) : null;
  }
  /** ids [B, L] at positions offset.. → [B, L, d]. */
  forward(ids: Int32Array, B: number, L: number, offset: number): Tensor {
    const x = this.word_embeddings.forward(ids, [B, L]);
    if (!this.position_embeddings) return x;
    if (offset + L > this.position_embeddings.numEmbeddings)
      throw new Error(`position ${offset + L - 1} is beyond the model's ${this.position_embeddings.numEmbeddings} learned positions`);
    const pos = Int32Array.from({ length: B * L }, (_, i) => offset + (i % L));
    return x.add(embedding(this.position_embeddings.weight, pos, [B, L]));
  }
}

class Backbone extends Module {
  readonly embeddings: Embeddings;
  readonly layers: Block[];
  readonly ln_f: LayerNorm;
  readonly drop_f: Dropout;
  constructor(c: ModelConfig, opts: { backend: Backend; rng: Rng; dtype?: 'f32' | 'f64' }) {
    super();
    this.embeddings = this.child('embeddings', new Embeddings(c, opts));
    const layerList = this.child('layers', new LayerList());
    const std = c.initializerRange;
    const outStd = std / Math.sqrt(2 * c.nLayer);
    this.layers = Array.from({ length: c.nLayer }, (_, i) => {
      const mixer = makeMixer(c, i, { ...opts, std, outStd });
      const block = new Block(mixer, { ...opts, dModel: c.dModel, dInner: c.dInner, eps: c.layerNormEps, dropout1: i === 0 ? c.embedDropout : c.residDropout, dropout2: c.residDropout, std, outStd });
      return layerList.add(block);
    });
    this.drop_f = this.child('drop_f', new Dropout(c.residDropout, opts.rng));
    this.ln_f = this.child('ln_f', new LayerNorm(c.dModel, { ...opts, eps: c.layerNormEps }));
  }
}

/** Numbered children ("layers.0", "layers.1", …). */
class LayerList extends Module {
  private n = 0;
  add<M extends Module>(m: M): M {
    return this.child(String(this.n++), m);
  }
}

function makeMixer(c: ModelConfig, i: number, opts: { backend: Backend; rng: Rng; dtype?: 'f32' | 'f64'; std: number; outStd: number }): Mixer {
  const common = { ...opts, dModel: c.dModel, stateSize: c.dState };
  switch (mixerAt(c, i)) {
    case 'attention':
      return new Attention({ ...opts, dModel: c.dModel, heads: c.attnHeads, rotaryDim: c.rotaryDim });
    case 'h3':
      return new H3({ ...common, headDim: c.headDim });
    case 's4d':
      return new S4DMixer(common);
    case 'shift-gated':
      return new ShiftGatedMixer(common);
  }
}

export interface HybridLMOptions {
  backend: Backend;
  /** Seed of the initialisation and dropout streams. Default 0. */
  seed?: number;
  /** 'f64' (cpu only) for gradient checks. */
  dtype?: 'f32' | 'f64';
}

export class HybridLM extends Module {
  readonly config: ModelConfig;
  readonly backbone: Backbone;
  readonly vocab: number;

  constructor(config: ModelConfigInput | ModelConfig, opts: HybridLMOptions) {
    super();
    this.config = parseModelConfig(config);
    this.vocab = paddedVocab(this.config);
    this.backbone = this.child('backbone', new Backbone(this.config, { backend: opts.backend, rng: new Rng(opts.seed ?? 0), dtype: opts.dtype }));
  }

  get backend(): Backend {
    return this.backbone.ln_f.weight.backend;
  }

  /** ids [B·L] (row-major [B, L]) → logits [B, L, V_pad]. */
  forward(ids: Int32Array, B: number, L: number): Tensor {
    return this.logits(this.run(ids, B, L, (block, s) => block.forward(s)));
  }

  /** Mean next-token cross-entropy of ids [B, L] against targets [B, L] (−100 / −1 = ignore). */
  loss(ids: Int32Array, targets: Int32Array, B: number, L: number): Tensor {
    const logits = this.forward(ids, B, L);
    return crossEntropy(reshape(logits, [B * L, this.vocab]), targets);
  }

  /**
   * Runs a prompt ids [B, L] in parallel (no gradients) and returns the logits of its last position
   * [B, V_pad] and every layer's recurrent state (H3 modes, KV caches) for `step`.
   */
  prefill(ids: Int32Array, B: number, L: number): { logits: Tensor; states: MixerState[] } {
    const states: MixerState[] = [];
    const out = this.run(ids, B, L, (block, s) =>
      block.apply(s, (h) => {
        const r = block.mixer.prefill(h);
        states.push(r.state);
        return r.y;
      }),
    );
    const last = reshape(slice(out, 1, L - 1, L), [B, this.config.dModel]);
    return { logits: this.logits(last), states };
  }

  /** States for batch·n rows, each row repeated n times (see MixerState.repeat); `states` stay valid. */
  repeatStates(states: MixerState[], n: number): MixerState[] {
    return states.map((s) => s.repeat(n));
  }

  /** Fresh states for `batch` sequences (nothing seen yet). */
  defaultStates(batch: number): MixerState[] {
    return this.backbone.layers.map((b) => b.mixer.defaultState(batch));
  }

  /** One token per row, ids [B], at `position` → logits [B, V_pad]; advances the states. */
  step(ids: Int32Array, states: MixerState[], position: number): Tensor {
    const B = ids.length;
    const x = reshape(this.backbone.embeddings.forward(ids, B, 1, position), [B, this.config.dModel]);
    let s: Stream = { residual: null, hidden: x };
    this.backbone.layers.forEach((block, i) => (s = block.step(s, states[i])));
    return this.logits(this.finalNorm(s));
  }

  /** The SSM parameters (optimiser group with lr min(1e-3, lr), no weight decay). */
  ssmParameters(): Tensor[] {
    return this.backbone.layers.flatMap((b) => b.mixer.ssmParameters());
  }

  private run(ids: Int32Array, B: number, L: number, apply: (b: Block, s: Stream) => Stream): Tensor {
    if (ids.length !== B * L) throw new Error(`HybridLM: ${ids.length} token ids for a [${B}, ${L}] batch`);
    let s: Stream = { residual: null, hidden: this.backbone.embeddings.forward(ids, B, L, 0) };
    // without autograd nothing needs a block's intermediates afterwards: free them block by block (a 125M
    // model's prefill of 1536 tokens would otherwise hold ~1.4 GB of activations until the end)
    const perBlock = !isGradEnabled();
    for (const block of this.backbone.layers) {
      const prev = s;
      s = perBlock ? tidy(() => apply(block, prev)) : apply(block, prev);
      if (perBlock && prev.hidden !== s.hidden) {
        prev.hidden.dispose();
        prev.residual?.dispose();
      }
    }
    return this.finalNorm(s);
  }

  private finalNorm(s: Stream): Tensor {
    const h = this.backbone.drop_f.forward(s.hidden);
    return this.backbone.ln_f.forward(s.residual ? s.residual.add(h) : h);
  }

  /** hidden [..., d] → logits [..., V_pad] with the tied embedding. */
  private logits(h: Tensor): Tensor {
    const d = this.config.dModel;
    const shape = h.shape;
    const flat = reshape(h, [h.size / d, d]);
    return reshape(matmul(flat, this.backbone.embeddings.word_embeddings.weight, { transB: true }), [...shape.slice(0, -1), this.vocab]);
  }
}
