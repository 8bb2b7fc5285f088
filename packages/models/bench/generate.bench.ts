// Generation throughput of the hybrid H3 model against the Transformer of the same size (the paper's Table 7
// setting scaled to this machine): random prompts of 512/1024/1536 tokens, 128 new tokens, throughput =
// batch·new tokens / total time (prompt + decoding), as benchmarks/benchmark_generation_h3.py measures.
// Also the per-sequence state memory (H3 state vs KV cache) as the prompt grows.
// Decode at large batch (HIPPO_BENCH_DECODE_BATCHES, e.g. 16,64): one prompt is prefilled once and its state
// repeated into every row (HybridLM.repeatStates), then the rows decode together; only the decode is timed. This
// is the regime of the paper's batch-64 measurement, where the KV-cache reads grow with batch × prompt while the
// weight reads are shared, without paying a batch × prompt prefill that this CPU cannot afford.
// Env: HIPPO_BENCH_SIZE (default 125m on cpu, tiny on webgpu), HIPPO_BENCH_BATCH (1), HIPPO_BENCH_PROMPTS
// (512,1024,1536), HIPPO_BENCH_NEW (128), HIPPO_BENCH_BACKENDS (cpu,webgpu), HIPPO_BENCH_DECODE_BATCHES (none),
// HIPPO_BENCH_SKIP_TOTAL=1 (only the large-batch decode).
// Run: cd packages/models && pnpm bench generate
import { loadavg } from 'node:os';
import { GpuContext, Rng } from '@hippo/kernels';
import { benchLine } from '@hippo/tooling/bench';
import { WebGpuBackend, cpuBackend, noGrad, tidy, type Backend } from '@hippo/tensor';
import { HybridLM, generate, modelPreset, sampleToken, stateBytes } from '../src/index.js';

const batch = Number(process.env.HIPPO_BENCH_BATCH ?? 1);
const prompts = (process.env.HIPPO_BENCH_PROMPTS ?? '512,1024,1536').split(',').map(Number);
const newTokens = Number(process.env.HIPPO_BENCH_NEW ?? 128);
const wanted = (process.env.HIPPO_BENCH_BACKENDS ?? 'cpu,webgpu').split(',');
const decodeBatches = (process.env.HIPPO_BENCH_DECODE_BATCHES ?? '').split(',').filter(Boolean).map(Number);
const skipTotal = process.env.HIPPO_BENCH_SKIP_TOTAL === '1';

async function throughput(model: HybridLM, promptLen: number): Promise<{ tokPerS: number; ms: number; prefillMs: number; decodeMs: number }> {
  const rng = new Rng(promptLen);
  const ps = Array.from({ length: batch }, () => Array.from({ length: promptLen }, () => rng.int(50257)));
  const r = await generate(model, ps, { maxNewTokens: newTokens, greedy: true, eosTokenId: null });
  const ms = r.prefillMs + r.decodeMs;
  return { tokPerS: (batch * newTokens * 1000) / ms, ms, prefillMs: r.prefillMs, decodeMs: r.decodeMs };
}

/** ms of `newTokens` greedy steps of `rows` rows that all start from one prefilled prompt of `promptLen` tokens */
async function sharedPromptDecodeMs(model: HybridLM, promptLen: number, rows: number): Promise<number> {
  const rng = new Rng(promptLen);
  const ids = Int32Array.from({ length: promptLen }, () => rng.int(50257));
  const { logits, states: one } = noGrad(() => tidy(() => model.prefill(ids, 1, promptLen)));
  logits.dispose();
  const states = model.repeatStates(one, rows);
  for (const s of one) s.dispose();
  const next = new Int32Array(rows).fill(ids[promptLen - 1]);
  const t0 = performance.now();
  try {
    for (let i = 0; i < newTokens; i++) {
      const out = noGrad(() => tidy(() => model.step(next, states, promptLen + i)));
      const v = (await out.toArray()) as Float32Array;
      out.dispose();
      const V = model.vocab;
      for (let b = 0; b < rows; b++) next[b] = sampleToken(v.subarray(b * V, (b + 1) * V), model.config.vocabSize, { greedy: true }, rng);
    }
    return performance.now() - t0;
  } finally {
    for (const s of states) s.dispose();
  }
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
  for (const rows of decodeBatches)
    for (const L of prompts) {
      const h = await sharedPromptDecodeMs(hybrid, L, rows);
      const t = await sharedPromptDecodeMs(transformer, L, rows);
      console.log(`# decode, batch ${rows} from one ${L}-token prompt (load ${loadavg()[0].toFixed(2)}): hybrid ${((rows * newTokens * 1000) / h).toFixed(1)} tok/s (${h.toFixed(0)} ms), transformer ${((rows * newTokens * 1000) / t).toFixed(1)} tok/s (${t.toFixed(0)} ms)`);
      benchLine(`decode-shared-${name}-${size}-b${rows}-p${L}-n${newTokens}`, h, `transformer-${size}`, t);
    }
  for (const L of skipTotal ? [] : prompts) {
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
