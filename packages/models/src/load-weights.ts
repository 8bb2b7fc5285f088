// Loading named weights into a model with one complete report: every missing, unexpected, mis-shaped or
// non-float tensor is named before anything is written, so a bad file never half-loads a model.
import { toFloat32, type RawTensor } from '@hippo/tensor';
import type { HybridLM } from './hybrid-lm.js';

const FLOAT_DTYPES = new Set(['F32', 'F16', 'BF16', 'F64']);

/** Checks `tensors` against the model's parameters, then copies them in; throws listing every problem. */
export function loadWeights(model: HybridLM, tensors: Map<string, RawTensor>, source: string): void {
  const own = model.stateDict();
  const problems: string[] = [];
  for (const name of own.keys()) if (!tensors.has(name)) problems.push(`missing: ${name} [${own.get(name)!.shape}]`);
  for (const [name, raw] of tensors) {
    const t = own.get(name);
    if (!t) problems.push(`unexpected: ${name} [${raw.shape}]`);
    else if (raw.shape.join() !== t.shape.join()) problems.push(`shape mismatch: ${name} is [${raw.shape}] in the file, the model expects [${t.shape}]`);
    else if (!FLOAT_DTYPES.has(raw.dtype)) problems.push(`dtype mismatch: ${name} is ${raw.dtype}, expected a float type (F32, F16, BF16, F64)`);
  }
  if (problems.length) throw new Error(`${source}: cannot load into ${model.config.name} (${problems.length} problems)\n  ${problems.join('\n  ')}`);
  for (const [name, t] of own) t.assign(toFloat32(tensors.get(name)!));
}
