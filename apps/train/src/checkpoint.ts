// Training checkpoints. Each is a folder `<out>/ckpt-<step>/` holding the model (config.json +
// model.safetensors, loadable by @hippo/models' loadCheckpoint), the AdamW moments (optimizer.safetensors,
// `m.<param>` / `v.<param>`) and trainer.json (step, options, data-loader position, dropout RNG state).
// It is built under a temporary name and renamed into place, so a kill at any moment leaves every
// `ckpt-*` folder complete; the newest also becomes `<out>/config.json` + `<out>/model.safetensors`
// (hard links, so no copy) for generation and evaluation.
import { existsSync, readdirSync } from 'node:fs';
import { copyFile, link, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CONFIG_FILE, WEIGHTS_FILE, saveCheckpoint, type HybridLM } from '@hippo/models';
import { fromFloat32, readSafetensors, toFloat32, writeFileAtomic, writeSafetensors, type AdamW, type RawTensor, type Tensor } from '@hippo/tensor';
import { CheckpointError } from './errors.js';
import type { TrainOptions } from './options.js';

export const TRAINER_FILE = 'trainer.json';
export const OPTIMIZER_FILE = 'optimizer.safetensors';
const FORMAT = 'hippo-train/checkpoint';
const VERSION = 1;
const DIR_RE = /^ckpt-(\d+)$/;

/** trainer.json: everything besides tensors that a resumed run needs. */
export interface TrainerState {
  format: typeof FORMAT;
  version: typeof VERSION;
  /** optimiser steps done */
  step: number;
  options: TrainOptions;
  /** micro-batches the data source has handed out */
  dataPosition: number;
  /** xoshiro128** words of the model's dropout stream */
  dropoutRng: number[];
  /** tokens trained on */
  tokens: number;
  /** wall seconds of training so far */
  seconds: number;
  /** parameter names in the optimiser's order (the moments' order) */
  optimizerParams: string[];
  optimizerStep: number;
}

/** A checkpoint folder on disk. */
export interface CheckpointRef {
  dir: string;
  step: number;
}

/** The complete checkpoints in `out`, oldest first. */
export function listCheckpoints(out: string): CheckpointRef[] {
  if (!existsSync(out)) return [];
  return readdirSync(out)
    .map((name) => ({ name, m: DIR_RE.exec(name) }))
    .filter((e) => e.m && existsSync(join(out, e.name, TRAINER_FILE)))
    .map((e) => ({ dir: join(out, e.name), step: Number(e.m![1]) }))
    .sort((a, b) => a.step - b.step);
}

/** The newest complete checkpoint in `out`, or null. */
export function latestCheckpoint(out: string): CheckpointRef | null {
  return listCheckpoints(out).at(-1) ?? null;
}

/** Removes the temporary files and folders a killed run left half-written (they never count as checkpoints). */
export async function removeStaleTemporaries(out: string): Promise<void> {
  if (!existsSync(out)) return;
  for (const name of readdirSync(out)) if (/\.tmp-\d+(-[0-9a-f]+)?$/.test(name)) await rm(join(out, name), { recursive: true, force: true });
}

/** What a checkpoint captures. */
export interface CheckpointContent {
  model: HybridLM;
  optimizer: AdamW;
  /** parameter → name (for the moments) */
  names: Map<Tensor, string>;
  state: Omit<TrainerState, 'format' | 'version' | 'optimizerParams' | 'optimizerStep'>;
}

/**
 * Writes `<out>/ckpt-<step>` atomically, points `<out>/model.safetensors` + `config.json` at it, and keeps the
 * newest `keep` checkpoints.
 */
export async function saveTrainingCheckpoint(out: string, c: CheckpointContent, keep: number): Promise<CheckpointRef> {
  const step = c.state.step;
  const name = `ckpt-${String(step).padStart(6, '0')}`;
  const dir = join(out, name);
  if (!existsSync(join(dir, TRAINER_FILE))) {
    const tmp = join(out, `.${name}.tmp-${process.pid}`);
    await rm(tmp, { recursive: true, force: true });
    await mkdir(tmp, { recursive: true });
    await saveCheckpoint(tmp, c.model, { step: String(step) });
    const s = c.optimizer.state();
    const params = c.optimizer.groups.flatMap((g) => g.params);
    const tensors: Record<string, RawTensor> = {};
    for (let i = 0; i < params.length; i++) {
      const pname = c.names.get(params[i])!;
      for (const [kind, t] of [['m', s.m[i]], ['v', s.v[i]]] as const) if (t) tensors[`${kind}.${pname}`] = fromFloat32(Float32Array.from(await t.toArray()), t.shape);
    }
    await writeSafetensors(join(tmp, OPTIMIZER_FILE), tensors, { format: FORMAT, step: String(step) });
    const state: TrainerState = { format: FORMAT, version: VERSION, ...c.state, optimizerParams: params.map((p) => c.names.get(p)!), optimizerStep: s.step };
    await writeFileAtomic(join(tmp, TRAINER_FILE), `${JSON.stringify(state, null, 2)}\n`);
    await rm(dir, { recursive: true, force: true }); // an incomplete folder of that name (no trainer.json)
    await rename(tmp, dir);
    await syncDir(out);
  }
  await exportModel(out, dir);
  for (const old of listCheckpoints(out).slice(0, -keep)) await rm(old.dir, { recursive: true, force: true });
  return { dir, step };
}

/** Makes `<out>/config.json` and `<out>/model.safetensors` the checkpoint's (hard links; copies where links fail). */
async function exportModel(out: string, dir: string): Promise<void> {
  for (const f of [CONFIG_FILE, WEIGHTS_FILE]) {
    const tmp = join(out, `${f}.tmp-${process.pid}`);
    await rm(tmp, { force: true });
    try {
      await link(join(dir, f), tmp);
    } catch {
      await copyFile(join(dir, f), tmp);
    }
    await rename(tmp, join(out, f));
  }
}

async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return; // directories cannot be opened for fsync there
  const h = await open(dir, 'r');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

/** Reads and checks `<dir>/trainer.json`. */
export async function readTrainerState(dir: string): Promise<TrainerState> {
  const path = join(dir, TRAINER_FILE);
  let s: TrainerState;
  try {
    s = JSON.parse(await readFile(path, 'utf8')) as TrainerState;
  } catch (e) {
    throw new CheckpointError(path, `unreadable (${(e as Error).message})`, 'delete this checkpoint folder to resume from the one before it');
  }
  if (s.format !== FORMAT) throw new CheckpointError(path, `format is ${JSON.stringify(s.format)}, expected "${FORMAT}"`, 'this is not a hippo-train checkpoint');
  if (s.version !== VERSION) throw new CheckpointError(path, `version ${s.version}, expected ${VERSION}`, 'it was written by another hippo-train version');
  return s;
}

/** Loads the AdamW moments of `<dir>/optimizer.safetensors` into `optimizer` (parameters matched by name). */
export async function loadOptimizerState(dir: string, state: TrainerState, optimizer: AdamW, names: Map<Tensor, string>): Promise<void> {
  const path = join(dir, OPTIMIZER_FILE);
  const file = await readSafetensors(path);
  const params = optimizer.groups.flatMap((g) => g.params);
  const order = params.map((p) => names.get(p)!);
  if (order.join('\n') !== state.optimizerParams.join('\n'))
    throw new CheckpointError(path, 'its parameters are not the model\'s (names or order differ)', 'resume with the model options the run was started with');
  const get = (key: string) => {
    const raw = file.tensors.get(key);
    return raw ? toFloat32(raw) : null;
  };
  optimizer.loadState({ step: state.optimizerStep, m: order.map((n) => get(`m.${n}`)), v: order.map((n) => get(`v.${n}`)) });
}
