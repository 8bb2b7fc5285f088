// H3 layer forward + backward against a causal self-attention layer of the same width (Wqkv, fused causal
// attention, out_proj — the hybrid's attention mixer), in the same run, on webgpu (when an adapter exists)
// and on the cpu backend. d = 768; shapes "BxL,…" from HIPPO_BENCH_SHAPES_CPU / HIPPO_BENCH_SHAPES_WEBGPU (defaults
// 1x1024,4x1024,1x8192 on cpu; 1x1024 on webgpu, since lavapipe runs ~1 GFLOP/s), or HIPPO_BENCH_SHAPES for both.
// Run: cd packages/ssm-layers && pnpm bench h3-layer
import { loadavg } from 'node:os';
import { GpuContext, Rng } from '@hippo/kernels';
import { benchLine, timeMs } from '@hippo/tooling/bench';
import { Linear, Module, Tensor, WebGpuBackend, causalAttention, cpuBackend, permute, reshape, slice, tidy, type Backend } from '@hippo/tensor';
import { H3 } from '../src/index.js';

const D = 768;
const HEADS = 12;
function shapesFor(backend: string): [number, number][] {
  const spec = process.env[`HIPPO_BENCH_SHAPES_${backend.toUpperCase()}`] ?? process.env.HIPPO_BENCH_SHAPES ?? (backend === 'cpu' ? '1x1024,4x1024,1x8192' : '1x1024');
  return spec.split(',').map((s) => s.split('x').map(Number) as [number, number]);
}

/** The baseline: multi-head causal self-attention with the same projections' width as H3. */
class SelfAttention extends Module {
  readonly Wqkv: Linear;
  readonly out_proj: Linear;
  constructor(backend: Backend, rng: Rng) {
    super();
    this.Wqkv = this.child('Wqkv', new Linear(D, 3 * D, { backend, rng, std: 0.02 }));
    this.out_proj = this.child('out_proj', new Linear(D, D, { backend, rng, std: 0.02 }));
  }
  forward(x: Tensor): Tensor {
    const [B, L] = x.shape;
    const hd = D / HEADS;
    const qkv = reshape(this.Wqkv.forward(x), [B, L, 3, HEADS, hd]);
    const part = (i: number) => permute(reshape(slice(qkv, 2, i, i + 1), [B, L, HEADS, hd]), [0, 2, 1, 3]);
    const o = causalAttention(part(0), part(1), part(2));
    return this.out_proj.forward(reshape(permute(o, [0, 2, 1, 3]), [B, L, D]));
  }
}

/** Median ms of forward + backward of Σ layer(x) (reading the loss back so GPU work is finished). */
async function fwdBwd(layer: Module & { forward(x: Tensor): Tensor }, backend: Backend, B: number, L: number): Promise<number> {
  const x = Tensor.fromArray(backend, new Rng(1).fillNormal(new Float32Array(B * L * D)), [B, L, D]);
  const ms = await timeMs(
    async () => {
      const loss = tidy(() => {
        const l = layer.forward(x).sum();
        l.backward();
        return l;
      });
      await loss.item();
      loss.dispose();
      layer.zeroGrad();
    },
    { warmup: 1, reps: 3 },
  );
  x.dispose();
  return ms;
}

const backends: [string, Backend][] = [['cpu', cpuBackend()]];
try {
  backends.unshift(['webgpu', new WebGpuBackend(await GpuContext.create())]);
} catch (e) {
  console.log(`# no WebGPU adapter (${(e as Error).message.split('\n')[0]}): cpu only`);
}
for (const [name, backend] of backends) {
  const h3 = new H3({ backend, rng: new Rng(0), dModel: D, std: 0.02 });
  const attn = new SelfAttention(backend, new Rng(0));
  for (const [B, L] of shapesFor(name)) {
    console.log(`# ${name} B=${B} L=${L} d=${D} (load ${loadavg()[0].toFixed(2)})`);
    const hippo = await fwdBwd(h3, backend, B, L);
    const base = await fwdBwd(attn, backend, B, L);
    benchLine(`h3-layer-fwd-bwd-${name}-b${B}-l${L}`, hippo, 'causal-attention-layer', base);
  }
}
