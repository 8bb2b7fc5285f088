// Importing the released H3 checkpoints (danfu09/H3-125M … -2.7B, PyTorch state dicts converted to
// safetensors by scripts/pt-to-safetensors.py). Applies the official loader's key remapping (§6.5 of the
// reference): Lightning `model.` prefix, old module names, and the old post-add LayerNorm naming; drops the
// tied lm_head copy and checks the rotary buffer.
import { readSafetensors, toFloat32, type Backend, type RawTensor } from '@hippo/tensor';
import type { ModelConfig } from './config.js';
import { HybridLM } from './hybrid-lm.js';
import { loadWeights } from './load-weights.js';

/** Official key → our key, following `SSMLMHeadModel.load_state_dict`. */
export function remapOfficialKeys(tensors: Map<string, RawTensor>, nLayer: number): Map<string, RawTensor> {
  let entries = [...tensors];
  // Lightning checkpoints: the model's keys carry a `model.` prefix next to other trainer state.
  if (entries.some(([k]) => k.startsWith('model.'))) entries = entries.filter(([k]) => k.startsWith('model.')).map(([k, v]) => [k.slice(6), v]);
  const renamed = new Map<string, RawTensor>();
  for (const [k, v] of entries) {
    const key = k
      .replace(/^s4seq\.encoder\./, 'backbone.')
      .replace(/^embedding\./, 'backbone.embeddings.word_embeddings.')
      .replace(/^backbone\.norm\./, 'backbone.ln_0.');
    renamed.set(key, v);
  }
  if (renamed.has('backbone.ln_0.weight')) {
    // Old post-norm placement: ln_0 → layers.0.norm1, layers.l.norm1 → layers.l.norm2,
    // layers.(l−1).norm2 → layers.l.norm1, layers.(n−1).norm2 → ln_f.
    const out = new Map<string, RawTensor>();
    for (const [k, v] of renamed) {
      const m = /^backbone\.layers\.(\d+)\.norm([12])\.(weight|bias)$/.exec(k);
      const ln0 = /^backbone\.ln_0\.(weight|bias)$/.exec(k);
      if (ln0) out.set(`backbone.layers.0.norm1.${ln0[1]}`, v);
      else if (m && m[2] === '1') out.set(`backbone.layers.${m[1]}.norm2.${m[3]}`, v);
      else if (m && Number(m[1]) === nLayer - 1) out.set(`backbone.ln_f.${m[3]}`, v);
      else if (m) out.set(`backbone.layers.${Number(m[1]) + 1}.norm1.${m[3]}`, v);
      else out.set(k, v);
    }
    return out;
  }
  return renamed;
}

/**
 * Builds `config`'s model on `backend` and loads an official checkpoint converted to safetensors, applying
 * the official key remapping. The tied `lm_head.weight` must equal the embedding; rotary `inv_freq` buffers
 * must equal base^(−2i/d).
 */
export async function importOfficialCheckpoint(path: string, config: ModelConfig, backend: Backend): Promise<HybridLM> {
  const file = await readSafetensors(path);
  const tensors = remapOfficialKeys(file.tensors, config.nLayer);
  const model = new HybridLM(config, { backend });
  const head = tensors.get('lm_head.weight');
  if (head) {
    const emb = tensors.get('backbone.embeddings.word_embeddings.weight');
    if (!emb || !sameValues(toFloat32(head), toFloat32(emb))) throw new Error(`${path}: lm_head.weight differs from the word embedding; H3 ties them`);
    tensors.delete('lm_head.weight');
  }
  for (const [k, v] of [...tensors]) {
    const m = /^backbone\.layers\.(\d+)\.mixer\.rotary_emb\.inv_freq$/.exec(k);
    if (!m) continue;
    const want = Float32Array.from({ length: config.rotaryDim / 2 }, (_, i) => 1 / 10000 ** ((2 * i) / config.rotaryDim));
    const got = toFloat32(v);
    if (got.length !== want.length || got.some((x, i) => Math.abs(x - want[i]) > 1e-6 * Math.max(1, want[i])))
      throw new Error(`${path}: ${k} is not the rotary frequencies of rotaryDim ${config.rotaryDim}`);
    tensors.delete(k);
  }
  loadWeights(model, tensors, path);
  return model;
}

function sameValues(a: Float32Array, b: Float32Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
