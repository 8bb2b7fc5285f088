import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testSeed } from '@hippo/kernels/testing';
import { noGrad, referenceBackend, tidy } from '@hippo/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { HybridLM, loadCheckpoint, modelFromCheckpointBytes, modelPreset, saveCheckpoint } from '../src/index.js';

const seed = testSeed();
const config = modelPreset('h3-tiny', { overrides: { nLayer: 2, dModel: 16, dInner: 32, attnHeads: 2, attnLayerIdx: [1], vocabSize: 40, name: 'bytes-test' } });
const ids = Int32Array.from({ length: 6 }, (_, i) => (i * 5 + 2) % 40);
const logitsOf = async (m: HybridLM) => (await noGrad(() => tidy(() => m.eval().forward(ids, 1, 6))).toArray()) as Float32Array;
let dir = '';
afterAll(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));

describe('modelFromCheckpointBytes (a checkpoint held in memory, as in a browser)', () => {
  it('builds the same model as loadCheckpoint from the two files’ contents; errors name the given sources', async () => {
    dir = await mkdtemp(join(tmpdir(), 'hippo-bytes-'));
    await saveCheckpoint(dir, new HybridLM(config, { backend: referenceBackend(), seed }), { step: '3' });
    const json = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as unknown;
    const bytes = new Uint8Array(await readFile(join(dir, 'model.safetensors')));
    const { model, metadata } = modelFromCheckpointBytes(json, bytes, referenceBackend());
    expect(metadata.step).toBe('3');
    expect(await logitsOf(model)).toEqual(await logitsOf((await loadCheckpoint(dir, referenceBackend())).model));
    const names = { config: 'https://x/config.json', weights: 'https://x/model.safetensors' };
    expect(() => modelFromCheckpointBytes({ ...(json as object), dState: 7 }, bytes, referenceBackend(), names)).toThrow(/https:\/\/x\/config\.json is invalid:\n {2}dState: must be even/);
    expect(() => modelFromCheckpointBytes(json, bytes.subarray(0, 100), referenceBackend(), names)).toThrow(/https:\/\/x\/model\.safetensors/);
    expect(() => modelFromCheckpointBytes({ ...(json as object), dModel: 32, dInner: 64 }, bytes, referenceBackend(), names)).toThrow(/shape mismatch/);
  });
});
