import { Rng } from '@hippo/kernels';
import { testSeed } from '@hippo/kernels/testing';
import { Tensor, crossEntropy, referenceBackend, reshape } from '@hippo/tensor';
import { moduleGradcheck } from '@hippo/tensor/testing';
import { describe, expect, it } from 'vitest';
import { HybridLM, parseModelConfig } from '../src/index.js';

const seed = testSeed();

describe('float64 finite-difference gradients of the whole hybrid LM', () => {
  it('every parameter of a 2-layer H3 + rotary-attention model through the cross-entropy loss', () => {
    const config = parseModelConfig({ dModel: 8, nLayer: 2, dInner: 16, attnHeads: 2, attnLayerIdx: [1], rotaryDim: 2, vocabSize: 11, dState: 4, embedDropout: 0, initializerRange: 0.3 });
    const model = new HybridLM(config, { backend: referenceBackend(), seed, dtype: 'f64' });
    const rng = new Rng(seed);
    const [B, L] = [2, 5];
    const ids = Int32Array.from({ length: B * L }, () => rng.int(11));
    const targets = Int32Array.from({ length: B * L }, () => rng.int(11));
    const dummy = Tensor.fromArray(referenceBackend(), new Float64Array(1), [1]);
    // initializerRange 0.3 (not 0.02) keeps every gradient O(0.01–1), far above the difference quotient's
    // rounding noise eps·|loss|/h ≈ 1e-10. Weights that large also make the third derivatives large: at
    // h = 1e-4 the truncation error (h²/6)·f''' reached 1.4e-5 relative for one seed (3206198818; it fell as h²:
    // 1.2e-6 at h = 3e-5, 1.4e-7 at 1e-5), so h = 1e-5 — see also the h/tol argument in ssm-layers' gradcheck test
    const errors = moduleGradcheck(model, () => reshape(crossEntropy(reshape(model.forward(ids, B, L), [B * L, model.vocab]), targets), [1]), dummy, { seed, tol: 1e-5, h: 1e-5 });
    expect(errors.size).toBe(model.parameters().length);
  });
});
