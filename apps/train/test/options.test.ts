import { HybridLM } from '@hippo/models';
import { cpuBackend } from '@hippo/tensor';
import { describe, expect, it } from 'vitest';
import { parseOverrides, parseTrainArgs } from '../src/args.js';
import { TrainConfigError } from '../src/errors.js';
import { modelConfigFor, overrideKeys } from '../src/model-config.js';
import { TUNABLE_FIELDS, identityMismatches, resolveTrainOptions } from '../src/options.js';
import { noDecayName, paramGroups } from '../src/param-groups.js';
import { TINY } from './tiny.js';

describe('settings', () => {
  it('rejects unknown model overrides, listing the valid keys', () => {
    let err: unknown;
    try {
      modelConfigFor('h3-tiny', 'released', { nLayers: 2, dModel: 64 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TrainConfigError);
    const e = err as TrainConfigError;
    expect(e.option).toBe("model override 'nLayers'");
    for (const k of ['dModel', 'nLayer', 'attnLayerIdx', 'dState', 'embedDropout']) expect(e.expected).toContain(k);
    expect(e.expected.split(', ').length).toBe(overrideKeys().length);
    expect(e.message).toMatch(/^model override 'nLayers': expected one of the model config keys: name, dModel, nLayer, /);
  });

  it('applies valid overrides and reports invalid values through the model schema', () => {
    const c = modelConfigFor('h3-tiny', 'released', TINY);
    expect([c.dModel, c.nLayer, c.attnLayerIdx, c.vocabSize]).toEqual([16, 2, [1], 50257]);
    expect(modelConfigFor('s4d-tiny', 'released', {}, 20).vocabSize).toBe(20);
    expect(() => modelConfigFor('h3-tiny', 'released', { attnLayerIdx: [7] })).toThrow(/attnLayerIdx: layer index 7 is outside 0..3/);
    expect(() => modelConfigFor('h3-tiny', 'released', { vocabSize: 30 }, 20)).toThrow(/vocabSize: expected 20 \(the data's vocabulary\)/);
    expect(() => modelConfigFor('h3-huge', 'released', {})).toThrow(/^preset: expected one of h3-tiny, transformer-tiny/);
  });

  it('parses --set values as JSON or bare words and flags into options', () => {
    expect(parseOverrides(['nLayer=2', 'attnLayerIdx=[1,3]', 'mixer=s4d', 'embedDropout=0'])).toEqual({ nLayer: 2, attnLayerIdx: [1, 3], mixer: 's4d', embedDropout: 0 });
    expect(() => parseOverrides(['nLayer'])).toThrow(/--set: expected KEY=VALUE/);
    const { options, command } = parseTrainArgs(['--task', 'induction-head', '--epochs', '2', '--lr', '1e-3', '--backend', 'cpu']);
    // ⌊5000 / 32⌋ = 156 full batches per epoch
    expect(options).toEqual({ data: { kind: 'synthetic', task: 'induction-head' }, lr: 1e-3, steps: 312 });
    expect(command.backend).toBe('cpu');
    expect(() => parseTrainArgs(['--steps', 'ten'])).toThrow(/--steps: expected a number; got "ten"/);
    expect(() => parseTrainArgs(['--data', 'corpus', '--epochs', '3'])).toThrow(/--epochs: expected --data synthetic/);
    expect(() => parseTrainArgs(['--task', 'copying'])).toThrow(/--task: expected induction-head or assoc-recall; got "copying"/);
    expect(() => parseTrainArgs(['--bogus'])).toThrow(/Unknown option '--bogus'/);
  });

  it('validates option ranges and finds identity differences for --resume', () => {
    const o = resolveTrainOptions({ data: { kind: 'corpus' }, steps: 50 });
    expect([o.warmupSteps, o.batchSize, o.lr, o.clip, o.weightDecay]).toEqual([5, 8, 6e-4, 1, 0.1]);
    expect(() => resolveTrainOptions({ data: { kind: 'corpus' }, steps: 10, warmupSteps: 10 })).toThrow(/warmupSteps: expected an integer in \[0, steps = 10\)/);
    expect(() => resolveTrainOptions({ data: { kind: 'corpus' }, resume: true })).toThrow(/resume: expected a run folder/);
    const p = resolveTrainOptions({ data: { kind: 'corpus' }, steps: 50, lr: 1e-3, evalEvery: 7, overrides: { nLayer: 2, dModel: 16 } });
    const q = resolveTrainOptions({ data: { kind: 'corpus' }, steps: 50, lr: 1e-3, overrides: { dModel: 16, nLayer: 2 } });
    expect(identityMismatches(p, q)).toEqual([]); // key order and non-identity fields do not matter
    expect(identityMismatches(o, p)).toEqual(['overrides: the checkpoint was trained with {}; this run asks for {"dModel":16,"nLayer":2}']);
    expect(identityMismatches(o, p, TUNABLE_FIELDS)).toEqual(['lr: the checkpoint was trained with 0.0006; this run asks for 0.001']);
  });

  it('puts SSM parameters, no-decay parameters and decayed weights in three AdamW groups', () => {
    const model = new HybridLM(modelConfigFor('h3-tiny', 'released', TINY), { backend: cpuBackend(), seed: 1 });
    const [decay, plain, ssm] = paramGroups(model, 2e-3, 0.1);
    expect([decay.lr, decay.weightDecay, plain.lr, plain.weightDecay, ssm.lr, ssm.weightDecay]).toEqual([2e-3, 0.1, 2e-3, 0, 1e-3, 0]);
    expect(new Set(ssm.params)).toEqual(new Set(model.ssmParameters()));
    const names = new Map(model.namedParameters().map(([n, p]) => [p, n]));
    const plainNames = plain.params.map((p) => names.get(p)!);
    expect(plainNames).toContain('backbone.embeddings.word_embeddings.weight');
    expect(plainNames).toContain('backbone.ln_f.weight');
    expect(plainNames).toContain('backbone.layers.1.norm2.bias');
    expect(plainNames.every((n) => noDecayName(n))).toBe(true);
    expect(decay.params.map((p) => names.get(p)!)).toEqual(expect.arrayContaining(['backbone.layers.0.mixer.q_proj.weight', 'backbone.layers.1.mixer.Wqkv.weight', 'backbone.layers.1.mlp.fc2.weight']));
    expect(decay.params.length + plain.params.length + ssm.params.length).toBe(model.parameters().length);
  });
});
