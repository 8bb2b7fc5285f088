// One training step (forward, backward, AdamW) of a small residual MLP language model on the cpu backend:
// WebAssembly SIMD (1 and 2 threads) against the TypeScript reference backend, in the same run. A stand-in
// for issue 10's h3-tiny step until the models package has it: the same ops (embedding, layernorm, matmul,
// GELU, cross-entropy, AdamW) at the width of a tiny LM.
// Run: cd packages/tensor && pnpm bench train-step
import { loadavg } from 'node:os';
import { WasmRuntime } from '@hippo/kernels';
import { benchLine, timeMs } from '@hippo/tooling/bench';
import { AdamW, Embedding, LayerNorm, Linear, MLP, Module, Rng, WasmBackend, crossEntropy, referenceBackend, tidy, type Backend, type Tensor } from '../src/index.js';

const CFG = { vocab: 4096, dim: 256, hidden: 1024, layers: 2, batch: 8, seq: 128 };

class MlpLm extends Module {
  readonly embed: Embedding;
  readonly blocks: { norm: LayerNorm; mlp: MLP }[] = [];
  readonly norm: LayerNorm;
  readonly head: Linear;
  constructor(backend: Backend, rng: Rng) {
    super();
    const opts = { backend, rng };
    this.embed = this.child('embed', new Embedding(CFG.vocab, CFG.dim, { ...opts, std: 0.02 }));
    for (let i = 0; i < CFG.layers; i++) {
      this.blocks.push({
        norm: this.child(`norm${i}`, new LayerNorm(CFG.dim, opts)),
        mlp: this.child(`mlp${i}`, new MLP(CFG.dim, { ...opts, hidden: CFG.hidden, dropout: 0 })),
      });
    }
    this.norm = this.child('norm', new LayerNorm(CFG.dim, opts));
    this.head = this.child('head', new Linear(CFG.dim, CFG.vocab, { ...opts, bias: false }));
  }
  /** ids [batch·seq] → logits [batch·seq, vocab] (pre-norm residual MLP blocks). */
  forward(ids: Int32Array): Tensor {
    let h = this.embed.forward(ids);
    for (const b of this.blocks) h = h.add(b.mlp.forward(b.norm.forward(h)));
    return this.head.forward(this.norm.forward(h));
  }
}

function stepper(backend: Backend): () => Promise<number> {
  const rng = new Rng(7);
  const model = new MlpLm(backend, rng);
  const opt = new AdamW([{ params: model.parameters(), lr: 1e-3, weightDecay: 0.1 }]);
  const n = CFG.batch * CFG.seq;
  const ids = Int32Array.from({ length: n }, () => rng.int(CFG.vocab));
  const targets = Int32Array.from({ length: n }, () => rng.int(CFG.vocab));
  return async () => {
    const loss = tidy(() => {
      const l = crossEntropy(model.forward(ids), targets);
      l.backward();
      return l;
    });
    opt.step();
    opt.zeroGrad();
    const v = await loss.item();
    loss.dispose();
    return v;
  };
}

console.log(`load average (1/5/15 min): ${loadavg().map((l) => l.toFixed(2)).join(' ')}; model ${JSON.stringify(CFG)}`);
const refMs = await timeMs(stepper(referenceBackend()), { warmup: 1, reps: 3 });
for (const threads of [1, 2]) {
  const rt = WasmRuntime.create({ threads });
  const ms = await timeMs(stepper(new WasmBackend(rt)), { warmup: 2, reps: 7 });
  benchLine(`train-step-mlp-lm-t${threads}`, ms, 'ts-ref', refMs);
  await rt.dispose();
}
console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
