// One training step of h3-tiny (d 128, 4 layers, attention at layer 2, GPT-2 vocab padded to 50264): forward,
// cross-entropy, backward, AdamW with the SSM parameter groups, at batch 8 × seq 128 — issue 10's target
// "≥ 10× faster than on the TypeScript reference backend". The cpu backend (WebAssembly SIMD on 1 and 2
// threads) against the reference backend and against the same model in PyTorch-CPU (bench/peers/h3_tiny_step.py,
// run when HIPPO_PYTHON names an interpreter with torch), all in this run. Before timing: the step-0 loss must be
// ≈ ln V on every backend and in the peer, and all parameter counts equal.
// Each step is split into forward / backward / optimiser, and every backend call is timed (bench/op-profile.ts).
// The machine is shared: every measurement prints the load average and the process CPU time next to the wall time.
// Env: HIPPO_BENCH_BATCH (8), HIPPO_BENCH_SEQ (128), HIPPO_BENCH_THREADS (1,2), HIPPO_BENCH_REPS (5),
// HIPPO_BENCH_REF_REPS (3; 0 skips the reference backend), HIPPO_BENCH_TOP (8 ops listed per backend),
// HIPPO_PYTHON (interpreter of the PyTorch peer; unset: peer skipped).
// Run: cd packages/models && HIPPO_PYTHON=python3 pnpm bench train-step
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { WasmRuntime } from '@hippo/kernels';
import { ssmParamGroups } from '@hippo/ssm-layers';
import { AdamW, Rng, WasmBackend, referenceBackend, tidy, type Backend } from '@hippo/tensor';
import { benchLine } from '@hippo/tooling/bench';
import { HybridLM, countParameters, modelPreset, paddedVocab } from '../src/index.js';
import { OpProfile } from './op-profile.js';

const env = process.env;
const B = Number(env.HIPPO_BENCH_BATCH ?? 8);
const L = Number(env.HIPPO_BENCH_SEQ ?? 128);
const THREADS = (env.HIPPO_BENCH_THREADS ?? '1,2').split(',').map(Number);
const REPS = Number(env.HIPPO_BENCH_REPS ?? 5);
const REF_REPS = Number(env.HIPPO_BENCH_REF_REPS ?? 3);
const TOP = Number(env.HIPPO_BENCH_TOP ?? 8);
const [LR, WEIGHT_DECAY] = [6e-4, 0.1];
const CONFIG = modelPreset('h3-tiny');
const VOCAB = CONFIG.vocabSize;
const CASE = `train-step-h3-tiny-b${B}-l${L}`;
// Step-0 loss bound. Random init: logits = LN(h)·Eᵀ with E ~ N(0, 0.02²), so each logit has variance
// ≈ d·0.02² = 0.05 and E[loss] ≈ ln V_pad + 0.05/2 ≈ 10.85 (± a few 0.01 from the draw); 0.15 leaves room
// for that and catches any real error (a broken head or loss is off by ≫ 1).
const LOSS0 = Math.log(paddedVocab(CONFIG));
const LOSS0_TOL = 0.15;
// Same seed and batch on two backends: float32 sums in another order, |Δloss| ~ 1e-6·10; 1e-3 is generous.
const CROSS_TOL = 1e-3;

const load = () => loadavg()[0].toFixed(2);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const failures: string[] = [];

/** Wall-clock phases of one step and its process CPU time (all threads), in ms. */
interface StepTimes {
  fwd: number;
  bwd: number;
  opt: number;
  step: number;
  cpu: number;
  loss: number;
}

/** The model, optimiser and a fixed random batch on `backend`; returns a function that runs one step. */
function trainer(backend: Backend, profile: OpProfile): { model: HybridLM; step: () => Promise<StepTimes> } {
  const model = new HybridLM(CONFIG, { backend, seed: 0 });
  const opt = new AdamW(ssmParamGroups(model, [model], LR, WEIGHT_DECAY));
  const rng = new Rng(1);
  const ids = Int32Array.from({ length: B * L }, () => rng.int(VOCAB)); // [B, L]
  const targets = Int32Array.from({ length: B * L }, () => rng.int(VOCAB)); // [B, L]
  const step = async (): Promise<StepTimes> => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    let t1 = 0;
    profile.phase = 'forward';
    const loss = tidy(() => {
      const l = model.loss(ids, targets, B, L);
      t1 = performance.now();
      profile.phase = 'backward';
      l.backward();
      return l;
    }); // the backward phase includes freeing the graph's intermediates
    const t2 = performance.now();
    profile.phase = 'optimiser';
    opt.step();
    opt.zeroGrad();
    const value = await loss.item();
    loss.dispose();
    const t3 = performance.now();
    const c = process.cpuUsage(c0);
    profile.phase = 'other';
    return { fwd: t1 - t0, bwd: t2 - t1, opt: t3 - t2, step: t3 - t0, cpu: (c.user + c.system) / 1e3, loss: value };
  };
  return { model, step };
}

interface Measured {
  name: string;
  loss0: number;
  lossLast: number;
  times: StepTimes[];
  ops: ReturnType<OpProfile['perStep']>;
  load: string;
}

/** Step 0 (checked), `warmup` more untimed steps, then `reps` timed steps. */
async function measure(name: string, backend: Backend, warmup: number, reps: number): Promise<Measured> {
  const profile = new OpProfile(backend);
  const { model, step } = trainer(backend, profile);
  if (model.numParameters() !== countParameters(CONFIG)) failures.push(`${name}: ${model.numParameters()} parameters, countParameters says ${countParameters(CONFIG)}`);
  const first = await step();
  if (!(Math.abs(first.loss - LOSS0) <= LOSS0_TOL)) failures.push(`${name}: step-0 loss ${first.loss} is not within ${LOSS0_TOL} of ln ${paddedVocab(CONFIG)} = ${LOSS0.toFixed(3)}`);
  console.log(`# ${name}: step 0 (untimed) loss ${first.loss.toFixed(4)} (ln V_pad = ${LOSS0.toFixed(4)}), ${first.step.toFixed(0)} ms, load ${load()}`);
  for (let i = 0; i < warmup; i++) await step();
  profile.reset();
  const times: StepTimes[] = [];
  for (let i = 0; i < reps; i++) times.push(await step());
  const m: Measured = { name, loss0: first.loss, lossLast: times[times.length - 1]?.loss ?? NaN, times, ops: profile.perStep(reps), load: load() };
  const med = (k: keyof StepTimes) => median(times.map((t) => t[k])).toFixed(0);
  console.log(
    `# ${name}: step ${med('step')} ms (fwd ${med('fwd')} + bwd ${med('bwd')} + opt ${med('opt')}), process CPU ${med('cpu')} ms, ` +
      `steps [${times.map((t) => t.step.toFixed(0)).join(', ')}], loss ${m.lossLast.toFixed(4)} after ${reps + warmup + 1} steps, load ${m.load}`,
  );
  const total = times.reduce((s, t) => s + t.step, 0) / times.length; // op totals are means, so compare with the mean step
  const opsMs = m.ops.reduce((s, o) => s + o.ms, 0);
  const rows = m.ops.slice(0, TOP).map((o) => `#   ${o.phase.padEnd(9)} ${o.op.padEnd(44)} ${o.ms.toFixed(1).padStart(8)} ms ${((100 * o.ms) / total).toFixed(1).padStart(5)}%  ×${o.calls.toFixed(0)}`);
  console.log(`# ${name}: top backend ops per step (means: all ops ${opsMs.toFixed(0)} ms of a ${total.toFixed(0)} ms step; the rest is JS autograd and tensor bookkeeping)\n${rows.join('\n')}`);
  return m;
}

/** One run of the PyTorch peer (bench/peers/h3_tiny_step.py) at one thread count. */
interface PeerRow {
  params: number;
  loss0: number;
  version: string;
  attention: string;
  blas: string;
  threads: number;
  step_ms: number;
  fwd_ms: number;
  bwd_ms: number;
  opt_ms: number;
  step_cpu_ms: number;
  times_ms: number[];
  loss: number;
}

/** The peer at each thread count (one process each: OpenBLAS fixes its threads at load), or [] with a '# peer skipped' line. */
function runPeer(): PeerRow[] {
  const python = env.HIPPO_PYTHON;
  if (!python) {
    console.log('# peer skipped: HIPPO_PYTHON is not set (e.g. HIPPO_PYTHON=python3 with python3-torch installed)');
    return [];
  }
  const script = fileURLToPath(new URL('./peers/h3_tiny_step.py', import.meta.url));
  const rows: PeerRow[] = [];
  for (const threads of THREADS) {
    const cfg = {
      d_model: CONFIG.dModel,
      n_layer: CONFIG.nLayer,
      attn_layer_idx: CONFIG.attnLayerIdx,
      heads: CONFIG.attnHeads,
      vocab: VOCAB,
      pad_multiple: CONFIG.padVocabMultiple,
      d_state: CONFIG.dState,
      batch: B,
      seq: L,
      threads,
      warmup: 1,
      reps: REPS,
      lr: LR,
      weight_decay: WEIGHT_DECAY,
    };
    console.log(`# PyTorch peer, ${threads} thread(s): ${python} ${script} (load ${load()})`);
    const r = spawnSync(python, [script, JSON.stringify(cfg)], { encoding: 'utf8', timeout: 1_800_000 });
    if (r.error || r.status !== 0) {
      console.log(`# peer skipped: '${python}' ${r.error ? `did not run (${r.error.message})` : `exited ${r.status}: ${r.stderr.trim().split('\n').pop()}`}`);
      return [];
    }
    const row = JSON.parse(r.stdout.trim().split('\n').pop()!);
    if (row.missing) {
      console.log(`# peer skipped: ${row.missing} is not installed for '${python}' (${row.hint})`);
      return [];
    }
    rows.push(row);
  }
  return rows;
}

console.log(`# h3-tiny: d ${CONFIG.dModel}, ${CONFIG.nLayer} layers, attention at [${CONFIG.attnLayerIdx}], V_pad ${paddedVocab(CONFIG)}, ${countParameters(CONFIG)} parameters; batch ${B} × seq ${L}; load (1/5/15 min) ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);

const ours: Measured[] = [];
for (const threads of THREADS) {
  const rt = WasmRuntime.create({ threads });
  ours.push(await measure(`wasm-${threads}t`, new WasmBackend(rt), 1, REPS));
  await rt.dispose();
}
// the peer right after ours (their ratio is the close one, so they should see the same load), then the slow reference
const peer = runPeer();
const ref = REF_REPS > 0 ? await measure('ts-reference', referenceBackend(), 0, REF_REPS) : null;

// ---- checks (before any ratio is believed) ----
for (const m of [...ours, ...(ref ? [ref] : [])]) {
  if (Math.abs(m.loss0 - ours[0].loss0) > CROSS_TOL) failures.push(`${m.name}: step-0 loss ${m.loss0} differs from ${ours[0].name}'s ${ours[0].loss0} by more than ${CROSS_TOL}`);
  if (!(m.lossLast < m.loss0)) failures.push(`${m.name}: the loss did not fall on a repeated batch (${m.loss0} → ${m.lossLast})`);
}
for (const r of peer) {
  const name = `pytorch-cpu-${r.threads}t`;
  console.log(`# ${name} (torch ${r.version}, ${r.blas}; attention via ${r.attention}): ${r.params} parameters (ours ${countParameters(CONFIG)}), step-0 loss ${r.loss0.toFixed(4)}`);
  if (r.params !== countParameters(CONFIG)) failures.push(`${name}: ${r.params} parameters, ours ${countParameters(CONFIG)}`);
  if (!(Math.abs(r.loss0 - LOSS0) <= LOSS0_TOL)) failures.push(`${name}: step-0 loss ${r.loss0} is not within ${LOSS0_TOL} of ${LOSS0.toFixed(3)}`);
  if (!(r.loss < r.loss0)) failures.push(`${name}: the loss did not fall on a repeated batch (${r.loss0} → ${r.loss})`);
  console.log(
    `# ${name}: step ${r.step_ms.toFixed(0)} ms (fwd ${r.fwd_ms.toFixed(0)} + bwd ${r.bwd_ms.toFixed(0)} + opt ${r.opt_ms.toFixed(0)}), process CPU ${r.step_cpu_ms.toFixed(0)} ms, steps [${r.times_ms.join(', ')}], load ${load()}`,
  );
}

// ---- BENCH lines (wall-clock medians) ----
const stepMs = (m: Measured) => median(m.times.map((t) => t.step));
const cpuMs = (m: Measured) => median(m.times.map((t) => t.cpu));
for (const m of ours) {
  const id = `${CASE}-${m.name}`;
  if (ref) {
    benchLine(id, stepMs(m), 'ts-reference', stepMs(ref));
    console.log(`#   ${id}: ×${(stepMs(ref) / stepMs(m)).toFixed(1)} vs ts-reference (target ≥ 10×); by process CPU time ×${(cpuMs(ref) / cpuMs(m)).toFixed(1)}; load ${load()}`);
  }
  for (const r of peer) {
    benchLine(id, stepMs(m), `pytorch-cpu-${r.threads}t`, r.step_ms);
    console.log(`#   ${id}: by process CPU time ×${(r.step_cpu_ms / cpuMs(m)).toFixed(2)} vs pytorch-cpu-${r.threads}t; load ${load()}`);
  }
}
console.log(`# load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
if (failures.length > 0) {
  console.log(`\nCHECK FAILURES:\n${failures.join('\n')}`);
  process.exitCode = 1;
}
