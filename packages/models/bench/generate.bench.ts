// Generation throughput of the hybrid H3 model against the Transformer of the same size (the paper's Table 7
// setting scaled to this machine): random prompts of 512/1024/1536 tokens, 128 new tokens, throughput =
// batch·new tokens / total time (prompt + decoding), as benchmarks/benchmark_generation_h3.py measures.
// Also the per-sequence state memory (H3 state vs KV cache) as the prompt grows.
// Env: HIPPO_BENCH_SIZE (default 125m on cpu, tiny on webgpu), HIPPO_BENCH_BATCH (1), HIPPO_BENCH_PROMPTS
// (512,1024,1536), HIPPO_BENCH_NEW (128), HIPPO_BENCH_BACKENDS (cpu,webgpu).
// Run: cd packages/models && pnpm bench generate
import { loadavg } from 'node:os';
import { GpuContext, Rng } from '@hippo/kernels';
import { benchLine } from '@hippo/tooling/bench';
import { WebGpuBackend, cpuBackend, type Backend } from '@hippo/tensor';
import { HybridLM, generate, modelPreset, stateBytes } from '../src/index.js';

const batch = Number(process.env.HIPPO_BENCH_BATCH ?? 1);
const prompts = (process.env.HIPPO_BENCH_PROMPTS ?? '512,1024,1536').split(',').map(Number);
const newTokens = Number(process.env.HIPPO_BENCH_NEW ?? 128);
const wanted = (process.env.HIPPO_BENCH_BACKENDS ?? 'cpu,webgpu').split(',');

async function throughput(model: HybridLM, promptLen: number): Promise<{ tokPerS: number; ms: number; prefillMs: number; decodeMs: number }> {
  const rng = new Rng(promptLen);
  const ps = Array.from({ length: batch }, () => Array.from({ length: promptLen }, () => rng.int(50257)));
  const r = await generate(model, ps, { maxNewTokens: newTokens, greedy: true, eosTokenId: null });
  const ms = r.prefillMs + r.decodeMs;
  return { tokPerS: (batch * newTokens * 1000) / ms, ms, prefillMs: r.prefillMs, decodeMs: r.decodeMs };
}

const backends: [string, () => Promise<Backend>][] = [];
if (wanted.includes('cpu')) backends.push(['cpu', async () => cpuBackend()]);
if (wanted.includes('webgpu')) backends.push(['webgpu', async () => new WebGpuBackend(await GpuContext.create())]);

for (const [name, make] of backends) {
  let backend: Backend;
  try {
    backend = await make();
  } catch (e) {
    console.log(`# ${name}: unavailable (${(e as Error).message.split('\n')[0]})`);
    continue;
  }
  const size = process.env.HIPPO_BENCH_SIZE ?? (name === 'cpu' ? '125m' : 'tiny');
  const hybrid = new HybridLM(modelPreset(`h3-${size}`), { backend });
  const transformer = new HybridLM(modelPreset(`transformer-${size}`), { backend });
  console.log(`# ${name}: h3-${size} (${hybrid.numParameters()} params) vs transformer-${size} (${transformer.numParameters()}), batch ${batch}, ${newTokens} new tokens`);
  await throughput(hybrid, 16); // warm-up: pipelines, buffer pools
  await throughput(transformer, 16);
  for (const L of prompts) {
    const h = await throughput(hybrid, L);
    const t = await throughput(transformer, L);
    console.log(
      `# prompt ${L} (load ${loadavg()[0].toFixed(2)}): hybrid ${h.tokPerS.toFixed(1)} tok/s (prefill ${h.prefillMs.toFixed(0)} ms, decode ${h.decodeMs.toFixed(0)} ms), ` +
        `transformer ${t.tokPerS.toFixed(1)} tok/s (prefill ${t.prefillMs.toFixed(0)} ms, decode ${t.decodeMs.toFixed(0)} ms)`,
    );
    benchLine(`generate-${name}-${size}-b${batch}-p${L}-n${newTokens}`, h.ms, `transformer-${size}`, t.ms);
    benchLine(`decode-only-${name}-${size}-b${batch}-p${L}-n${newTokens}`, h.decodeMs, `transformer-${size}`, t.decodeMs);
  }
  for (const L of [512, 1024, 1536, 4096, 8192]) {
    const hb = stateBytes(hybrid.config, L);
    const tb = stateBytes(transformer.config, L);
    console.log(`# state memory per sequence at ${L} tokens: h3-${size} ${(hb.total / 2 ** 20).toFixed(2)} MiB (SSM ${(hb.ssm / 2 ** 20).toFixed(2)} + KV ${(hb.kvCache / 2 ** 20).toFixed(2)}), transformer-${size} ${(tb.total / 2 ** 20).toFixed(2)} MiB`);
  }
}
