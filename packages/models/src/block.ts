// One pre-norm residual block of the hybrid LM (flash-attn `Block`, prenorm): r ← r + drop(h); h = Mixer(LN1(r));
// r ← r + drop(h); h = MLP(LN2(r)). The residual stream is carried separately from the branch output, as in
// the official code, so the first block's dropout is the embedding dropout.
import { Dropout, LayerNorm, MLP, Module, Linear, type InitOptions, type Tensor } from '@hippo/tensor';
import type { MixerState, SequenceMixer } from '@hippo/ssm-layers';

export type Mixer = Module & SequenceMixer<MixerState>;

export interface BlockOptions extends InitOptions {
  dModel: number;
  dInner: number;
  eps: number;
  /** Dropout applied to the incoming branch output before it joins the residual (embed dropout for block 0). */
  dropout1: number;
  /** Dropout after the mixer. */
  dropout2: number;
  std: number;
  /** Std of mlp.fc2's initialisation. */
  outStd: number;
}

/** Residual stream and branch output between blocks. */
export interface Stream {
  residual: Tensor | null;
  hidden: Tensor;
}

export class Block extends Module {
  readonly norm1: LayerNorm;
  readonly mixer: Mixer;
  readonly norm2: LayerNorm;
  readonly mlp: MLP;
  readonly dropout1: Dropout;
  readonly dropout2: Dropout;

  constructor(mixer: Mixer, opts: BlockOptions) {
    super();
    this.dropout1 = this.child('dropout1', new Dropout(opts.dropout1, opts.rng));
    this.norm1 = this.child('norm1', new LayerNorm(opts.dModel, { ...opts, eps: opts.eps }));
    this.mixer = this.child('mixer', mixer);
    this.dropout2 = this.child('dropout2', new Dropout(opts.dropout2, opts.rng));
    this.norm2 = this.child('norm2', new LayerNorm(opts.dModel, { ...opts, eps: opts.eps }));
    this.mlp = this.child('mlp', new MLP(opts.dModel, { ...opts, hidden: opts.dInner, std: opts.std }));
    reinit(this.mlp.fc2, opts.outStd, opts);
  }

  /** Whole sequences: hidden [B, L, d]. */
  forward(s: Stream): Stream {
    return this.apply(s, (h) => this.mixer.forward(h));
  }

  /** One token: hidden [B, d]; the mixer advances its state. */
  step(s: Stream, state: MixerState): Stream {
    return this.apply(s, (h) => this.mixer.step(h, state));
  }

  /** Runs the block around `mix`, which maps LN1(r) to the mixer output. */
  apply(s: Stream, mix: (h: Tensor) => Tensor): Stream {
    const dropped = this.dropout1.forward(s.hidden);
    let residual = s.residual ? s.residual.add(dropped) : dropped;
    const h = mix(this.norm1.forward(residual));
    residual = residual.add(this.dropout2.forward(h));
    return { residual, hidden: this.mlp.forward(this.norm2.forward(residual)) };
  }
}

/** Redraws a linear layer's weight N(0, std²) and zeroes its bias (GPT-2 initialisation). */
export function reinit(l: Linear, std: number, opts: InitOptions): void {
  const w = opts.rng.fillNormal(new Float32Array(l.weight.size), 0, std);
  l.weight.assign(l.weight.dtype === 'f64' ? Float64Array.from(w) : w);
  l.bias?.assign(l.bias.dtype === 'f64' ? new Float64Array(l.bias.size) : new Float32Array(l.bias.size));
}
