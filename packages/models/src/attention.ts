// Causal multi-head self-attention as in flash-attn's MHA (the hybrid's attention layers): a fused Wqkv
// projection split as (three, heads, head_dim), softmax scale 1/√head_dim, optional GPT-NeoX rotary
// embeddings, out_proj. Generation keeps a KV cache that grows by doubling.
import {
  Linear,
  Module,
  Tensor,
  attentionDecode,
  causalAttention,
  concat,
  keep,
  kvCacheWrite,
  noGrad,
  permute,
  reshape,
  rotary,
  slice,
  tidy,
  type InitOptions,
} from '@hippo/tensor';
import { repeatRows, type MixerState, type SequenceMixer } from '@hippo/ssm-layers';

export interface AttentionOptions extends InitOptions {
  dModel: number;
  heads: number;
  /** Rotary dims per head (0: none). */
  rotaryDim?: number;
  /** Std of out_proj's initialisation (GPT-2 rescales it by 1/√(2·n_layer)). */
  outStd?: number;
  std?: number;
}

export class KvCache implements MixerState {
  constructor(
    readonly batch: number,
    /** k, v [B, heads, capacity, head_dim]. */
    public k: Tensor,
    public v: Tensor,
    /** Tokens cached per row. */
    readonly lengths: Int32Array,
  ) {}
  get capacity(): number {
    return this.k.shape[2];
  }
  /**
   * Grows the capacity by 25 % (at least 64 tokens; copying the cached entries) until `need` tokens fit: still
   * O(1) amortised copies per token, and at most a quarter of a large cache (gigabytes at batch 16 × 1536 tokens
   * for a 125M model) sits unused, where doubling could leave half of it empty.
   */
  reserve(need: number): void {
    let cap = this.capacity;
    if (need <= cap) return;
    while (cap < need) cap = Math.max(cap + 64, Math.ceil(cap * 1.25));
    const grow = (t: Tensor) => {
      const [B, h, c, hd] = t.shape;
      const bigger = keep(noGrad(() => concat([t, Tensor.zeros(t.backend, [B, h, cap - c, hd])], 2)));
      t.dispose();
      return bigger;
    };
    this.k = grow(this.k);
    this.v = grow(this.v);
  }
  repeat(n: number): KvCache {
    const lengths = Int32Array.from({ length: this.batch * n }, (_, i) => this.lengths[Math.floor(i / n)]);
    return new KvCache(this.batch * n, repeatRows(this.k, this.batch, n), repeatRows(this.v, this.batch, n), lengths);
  }
  dispose(): void {
    this.k.dispose();
    this.v.dispose();
  }
}

export class Attention extends Module implements SequenceMixer<KvCache> {
  readonly dModel: number;
  readonly heads: number;
  readonly headDim: number;
  readonly rotaryDim: number;
  readonly Wqkv: Linear;
  readonly out_proj: Linear;

  constructor(opts: AttentionOptions) {
    super();
    const d = (this.dModel = opts.dModel);
    this.heads = opts.heads;
    if (d % this.heads !== 0) throw new Error(`Attention: ${this.heads} heads do not divide dModel ${d}`);
    this.headDim = d / this.heads;
    this.rotaryDim = opts.rotaryDim ?? 0;
    this.Wqkv = this.child('Wqkv', new Linear(d, 3 * d, { ...opts, std: opts.std }));
    this.out_proj = this.child('out_proj', new Linear(d, d, { ...opts, std: opts.outStd ?? opts.std }));
  }

  /** The rotary frequencies base^(−2i/rotaryDim) [rotaryDim/2] (the official persistent buffer `rotary_emb.inv_freq`). */
  invFreq(): Float32Array {
    const r = this.rotaryDim;
    return Float32Array.from({ length: r / 2 }, (_, i) => 1 / 10000 ** ((2 * i) / r));
  }

  forward(x: Tensor): Tensor {
    const [q, k, v] = this.qkv(x, 0);
    return this.merge(causalAttention(q, k, v));
  }

  prefill(x: Tensor): { y: Tensor; state: KvCache } {
    return noGrad(() => {
      const [q, k, v] = this.qkv(x, 0);
      const y = this.merge(causalAttention(q, k, v));
      const [B, L] = x.shape;
      const state = new KvCache(B, keep(k), keep(v), new Int32Array(B).fill(L));
      state.reserve(L + 1);
      return { y, state };
    });
  }

  defaultState(batch: number): KvCache {
    const z = () => keep(Tensor.zeros(this.Wqkv.weight.backend, [batch, this.heads, 16, this.headDim]));
    return new KvCache(batch, z(), z(), new Int32Array(batch));
  }

  step(x: Tensor, state: KvCache): Tensor {
    const B = state.batch;
    const positions = state.lengths.slice();
    state.reserve(Math.max(...positions) + 1);
    return noGrad(() =>
      tidy(() => {
        // rows share one position here (generation advances every row together), as rotary needs one offset
        const [q, k, v] = this.qkv(reshape(x, [B, 1, this.dModel]), positions[0]);
        kvCacheWrite(state.k, k, positions);
        kvCacheWrite(state.v, v, positions);
        for (let b = 0; b < B; b++) state.lengths[b] = positions[b] + 1;
        return reshape(this.merge(attentionDecode(q, state.k, state.v, state.lengths)), [B, this.dModel]);
      }),
    );
  }

  ssmParameters(): Tensor[] {
    return [];
  }

  /** x [B, L, d] → q, k, v [B, heads, L, head_dim], rotary applied at positions offset.. */
  private qkv(x: Tensor, offset: number): [Tensor, Tensor, Tensor] {
    const [B, L] = x.shape;
    const { heads, headDim: hd } = this;
    const qkv = reshape(this.Wqkv.forward(x), [B, L, 3, heads, hd]);
    const part = (i: number) => {
      let t = reshape(slice(qkv, 2, i, i + 1), [B, L, heads, hd]);
      if (i < 2 && this.rotaryDim > 0) t = rotary(t, { rotaryDim: this.rotaryDim, offset });
      return permute(t, [0, 2, 1, 3]);
    };
    return [part(0), part(1), part(2)];
  }

  /** [B, heads, L, head_dim] → out_proj([B, L, d]). */
  private merge(o: Tensor): Tensor {
    const [B, , L] = o.shape;
    return this.out_proj.forward(reshape(permute(o, [0, 2, 1, 3]), [B, L, this.dModel]));
  }
}
