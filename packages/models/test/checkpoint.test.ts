import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectClose, testSeed } from '@hippo/kernels/testing';
import { fromFloat32, noGrad, referenceBackend, tidy, toFloat32, writeSafetensors, type RawTensor } from '@hippo/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { HybridLM, importOfficialCheckpoint, loadCheckpoint, modelPreset, saveCheckpoint } from '../src/index.js';

const seed = testSeed();
const dirs: string[] = [];
const tempDir = async () => {
  const d = await mkdtemp(join(tmpdir(), 'hippo-models-'));
  dirs.push(d);
  return d;
};
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

// a small hybrid with 3 layers (attention in the middle, rotary) and a small vocabulary keeps the files tiny
const config = modelPreset('h3-tiny', { overrides: { nLayer: 3, dModel: 32, dInner: 64, attnHeads: 2, attnLayerIdx: [1], rotaryDim: 8, vocabSize: 50, name: 'test' } });
const ids = Int32Array.from({ length: 2 * 7 }, (_, i) => (i * 7 + 3) % 50);
const logitsOf = async (m: HybridLM) => (await noGrad(() => tidy(() => m.eval().forward(ids, 2, 7))).toArray()) as Float32Array;

describe('checkpoints', () => {
  it('round-trip: save, load, identical logits; no temporary files left', async () => {
    const dir = await tempDir();
    const model = new HybridLM(config, { backend: referenceBackend(), seed });
    await saveCheckpoint(dir, model, { step: '12' });
    expect((await readdir(dir)).sort()).toEqual(['config.json', 'model.safetensors']);
    const { model: back, metadata } = await loadCheckpoint(dir, referenceBackend());
    expect(metadata.step).toBe('12');
    expect(back.config).toEqual(model.config);
    expect(await logitsOf(back)).toEqual(await logitsOf(model));
  });

  it('names every missing, unexpected and mis-shaped tensor before loading anything', async () => {
    const dir = await tempDir();
    const model = new HybridLM(config, { backend: referenceBackend(), seed });
    await saveCheckpoint(dir, model);
    const tensors: Record<string, RawTensor> = {};
    for (const [k, t] of model.stateDict()) tensors[k] = fromFloat32(Float32Array.from(await t.toArray()), t.shape);
    delete tensors['backbone.layers.0.mixer.D'];
    tensors['backbone.layers.2.mixer.kernel.kernel.log_dt'] = fromFloat32(new Float32Array(5), [5]);
    tensors['backbone.extra.weight'] = fromFloat32(new Float32Array(1), [1]);
    await writeSafetensors(join(dir, 'model.safetensors'), tensors);
    const message = await loadCheckpoint(dir, referenceBackend()).then(
      () => '',
      (e: Error) => e.message,
    );
    expect(message).toMatch(/model\.safetensors: cannot load into test \(3 problems\)/);
    expect(message).toContain('missing: backbone.layers.0.mixer.D [32]');
    expect(message).toContain('shape mismatch: backbone.layers.2.mixer.kernel.kernel.log_dt is [5] in the file, the model expects [32]');
    expect(message).toContain('unexpected: backbone.extra.weight [1]');
    await writeFile(join(dir, 'config.json'), JSON.stringify({ ...config, dState: 7 }));
    await expect(loadCheckpoint(dir, referenceBackend())).rejects.toThrow(/config\.json is invalid:\n {2}dState: must be even/);
  });
});

describe('official H3 checkpoints', () => {
  /** The model's weights under the names of an old-format Lightning checkpoint (post-add LayerNorm naming). */
  async function officialOldFormat(model: HybridLM): Promise<Record<string, RawTensor>> {
    const n = config.nLayer;
    const out: Record<string, RawTensor> = { 'optimizer_states.0': fromFloat32(new Float32Array(3), [3]) };
    for (const [k, t] of model.stateDict()) {
      const raw = fromFloat32(Float32Array.from(await t.toArray()), t.shape);
      let name = k;
      const norm = /^backbone\.layers\.(\d+)\.norm([12])\.(weight|bias)$/.exec(k);
      const lnf = /^backbone\.ln_f\.(weight|bias)$/.exec(k);
      if (norm && norm[2] === '1') name = Number(norm[1]) === 0 ? `s4seq.encoder.norm.${norm[3]}` : `s4seq.encoder.layers.${Number(norm[1]) - 1}.norm2.${norm[3]}`;
      else if (norm) name = `s4seq.encoder.layers.${norm[1]}.norm1.${norm[3]}`;
      else if (lnf) name = `s4seq.encoder.layers.${n - 1}.norm2.${lnf[1]}`;
      else if (k === 'backbone.embeddings.word_embeddings.weight') {
        name = 'embedding.weight';
        out['model.lm_head.weight'] = raw;
      } else name = k.replace(/^backbone\./, 's4seq.encoder.');
      out[`model.${name}`] = raw;
    }
    const freq = Float32Array.from({ length: 4 }, (_, i) => 1 / 10000 ** ((2 * i) / 8));
    out['model.s4seq.encoder.layers.1.mixer.rotary_emb.inv_freq'] = fromFloat32(freq, [4]);
    return out;
  }

  it('a synthetic old-format Lightning state dict loads with the official remapping and gives the native logits', async () => {
    const dir = await tempDir();
    const model = new HybridLM(config, { backend: referenceBackend(), seed });
    await writeSafetensors(join(dir, 'official.safetensors'), await officialOldFormat(model));
    const imported = await importOfficialCheckpoint(join(dir, 'official.safetensors'), config, referenceBackend());
    expect(await logitsOf(imported)).toEqual(await logitsOf(model));
  });

  it('new-format names (after the loader remap) load too, and a wrong tied head is refused', async () => {
    const dir = await tempDir();
    const model = new HybridLM(config, { backend: referenceBackend(), seed: seed + 1 });
    const tensors: Record<string, RawTensor> = {};
    for (const [k, t] of model.stateDict()) tensors[k] = fromFloat32(Float32Array.from(await t.toArray()), t.shape);
    tensors['lm_head.weight'] = tensors['backbone.embeddings.word_embeddings.weight'];
    tensors['backbone.layers.1.mixer.rotary_emb.inv_freq'] = fromFloat32(Float32Array.from({ length: 4 }, (_, i) => 1 / 10000 ** ((2 * i) / 8)), [4]);
    await writeSafetensors(join(dir, 'new.safetensors'), tensors);
    const imported = await importOfficialCheckpoint(join(dir, 'new.safetensors'), config, referenceBackend());
    expectClose(await logitsOf(imported), await logitsOf(model), 0, 'logits', seed);
    const head = toFloat32(tensors['lm_head.weight']).slice();
    head[0] += 1;
    tensors['lm_head.weight'] = fromFloat32(head, tensors['lm_head.weight'].shape);
    await writeSafetensors(join(dir, 'bad.safetensors'), tensors);
    await expect(importOfficialCheckpoint(join(dir, 'bad.safetensors'), config, referenceBackend())).rejects.toThrow(/lm_head\.weight differs from the word embedding/);
  });
});
