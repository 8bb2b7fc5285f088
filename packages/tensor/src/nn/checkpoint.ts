// Module weights to and from safetensors files, by parameter name (float32 on disk).
import { fromFloat32, readSafetensors, toFloat32, writeSafetensors, type RawTensor } from '../io/safetensors.js';
import type { Module } from './module.js';

/** Writes every parameter of `module` (atomically: temporary file, then rename). */
export async function saveModule(path: string, module: Module, metadata: Record<string, string> = {}): Promise<void> {
  const tensors: Record<string, RawTensor> = {};
  for (const [name, t] of module.namedParameters()) tensors[name] = fromFloat32(Float32Array.from(await t.toArray()), t.shape);
  await writeSafetensors(path, tensors, metadata);
}

/**
 * Loads parameters by name from a safetensors file (F32, F16, BF16 or F64 on disk) and returns the file's
 * metadata. strict (default): names must match exactly; shapes must always match.
 */
export async function loadModule(path: string, module: Module, strict = true): Promise<Record<string, string>> {
  const file = await readSafetensors(path);
  const state = new Map<string, { shape: readonly number[]; data: Float32Array }>();
  for (const [name, raw] of file.tensors) state.set(name, { shape: raw.shape, data: toFloat32(raw) });
  try {
    module.loadStateDict(state, strict);
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`);
  }
  return file.metadata;
}
