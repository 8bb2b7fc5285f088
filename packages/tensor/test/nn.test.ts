import { Rng, adamwRef } from '@hippo/kernels';
import { describe, expect, it } from 'vitest';
import { AdamW, LayerNorm, Linear, MLP, Module, Tensor, clipGradNorm, cpuBackend, warmupCosine } from '../src/index.js';

const cpu = cpuBackend();

class Tiny extends Module {
  readonly norm: LayerNorm;
  readonly mlp: MLP;
  constructor(rng: Rng) {
    super();
    this.norm = this.child('norm', new LayerNorm(4, { backend: cpu, rng }));
    this.mlp = this.child('mlp', new MLP(4, { backend: cpu, rng, hidden: 8 }));
  }
}

describe('nn.Module', () => {
  it('names parameters with dotted paths in registration order', () => {
    const m = new Tiny(new Rng(1));
    expect(m.namedParameters().map(([n]) => n)).toEqual([
      'norm.weight',
      'norm.bias',
      'mlp.fc1.weight',
      'mlp.fc1.bias',
      'mlp.fc2.weight',
      'mlp.fc2.bias',
    ]);
    expect(m.numParameters()).toBe(4 + 4 + 32 + 8 + 32 + 4);
  });

  it('loads a state dict by name, refusing missing/unknown names and wrong shapes', async () => {
    const a = new Tiny(new Rng(1));
    const b = new Tiny(new Rng(2));
    const state = new Map<string, { shape: readonly number[]; data: Float32Array }>();
    for (const [n, t] of a.stateDict()) state.set(n, { shape: t.shape, data: (await t.toArray()) as Float32Array });
    b.loadStateDict(state);
    expect([...(await b.mlp.fc1.weight.toArray())]).toEqual([...(await a.mlp.fc1.weight.toArray())]);
    const partial = new Map(state);
    partial.delete('norm.bias');
    partial.set('extra', { shape: [1], data: new Float32Array(1) });
    expect(() => b.loadStateDict(partial)).toThrow(/missing \[norm.bias\]; unexpected \[extra\]/);
    const bad = new Map(state);
    bad.set('norm.bias', { shape: [5], data: new Float32Array(5) });
    expect(() => b.loadStateDict(bad)).toThrow(/norm.bias must have shape \[4\]; got \[5\]/);
  });

  it('Linear initialises within PyTorch bounds and maps shapes', async () => {
    const lin = new Linear(16, 3, { backend: cpu, rng: new Rng(3) });
    const w = await lin.weight.toArray();
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(0.25);
    const y = lin.forward(Tensor.zeros(cpu, [2, 5, 16]));
    expect(y.shape).toEqual([2, 5, 3]);
  });
});

describe('optim', () => {
  it('AdamW groups use their own lr and weight decay and match adamwRef', async () => {
    const p1 = Tensor.fromArray(cpu, Float32Array.from([1, 2]), [2], { requiresGrad: true });
    const p2 = Tensor.fromArray(cpu, Float32Array.from([1, 2]), [2], { requiresGrad: true });
    const opt = new AdamW([
      { params: [p1], lr: 0.1, weightDecay: 0.1 },
      { params: [p2], lr: 0.01, weightDecay: 0 },
    ]);
    opt.lrFactor = 0.5;
    p1.mul(p1).sum().backward();
    p2.mul(p2).sum().backward();
    opt.step(0.5);
    const expectOne = (lr: number, wd: number) => {
      const p = Float32Array.from([1, 2]);
      adamwRef(p, Float32Array.from([2, 4]), new Float32Array(2), new Float32Array(2), {
        n: 2, lr: lr * 0.5, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: wd, step: 1, gradScale: 0.5,
      });
      return [...p];
    };
    expect([...(await p1.toArray())]).toEqual(expectOne(0.1, 0.1));
    expect([...(await p2.toArray())]).toEqual(expectOne(0.01, 0));
    opt.zeroGrad();
    expect(p1.grad).toBeNull();
  });

  it('AdamW.loadState resumes bit-identically from state()', async () => {
    const make = () => Tensor.fromArray(cpu, Float32Array.from([1, -2, 3]), [3], { requiresGrad: true });
    const run = async (p: Tensor, opt: AdamW, steps: number) => {
      for (let i = 0; i < steps; i++) {
        p.mul(p).mul(p).sum().backward();
        opt.step();
        opt.zeroGrad();
      }
    };
    const a = make();
    const optA = new AdamW([{ params: [a], lr: 0.1, weightDecay: 0.1 }]);
    await run(a, optA, 5);
    const b = make();
    const optB = new AdamW([{ params: [b], lr: 0.1, weightDecay: 0.1 }]);
    await run(b, optB, 2);
    const s = optB.state();
    const host = async (ts: (Tensor | null)[]) => Promise.all(ts.map(async (t) => (t ? Float32Array.from(await t.toArray()) : null)));
    const c = Tensor.fromArray(cpu, Float32Array.from(await b.toArray()), [3], { requiresGrad: true });
    const optC = new AdamW([{ params: [c], lr: 0.1, weightDecay: 0.1 }]);
    optC.loadState({ step: s.step, m: await host(s.m), v: await host(s.v) });
    await run(c, optC, 3);
    expect(optC.stepCount).toBe(5);
    expect([...(await c.toArray())]).toEqual([...(await a.toArray())]);
    expect(() => optC.loadState({ step: 1, m: [], v: [] })).toThrow(/0 m \/ 0 v entries for 1 parameters/);
  });

  it('warmupCosine rises linearly then decays by a cosine to minFactor', () => {
    const f = warmupCosine({ warmupSteps: 4, totalSteps: 14, minFactor: 0.1 });
    expect([0, 1, 2, 3].map(f)).toEqual([0.25, 0.5, 0.75, 1]);
    expect(f(4)).toBeCloseTo(1, 12);
    expect(f(9)).toBeCloseTo(0.55, 12);
    expect(f(14)).toBeCloseTo(0.1, 12);
    expect(f(100)).toBeCloseTo(0.1, 12);
  });

  it('clipGradNorm reports the global norm and the PyTorch clip factor', async () => {
    const a = Tensor.fromArray(cpu, Float32Array.from([3]), [1], { requiresGrad: true });
    const b = Tensor.fromArray(cpu, Float32Array.from([4]), [1], { requiresGrad: true });
    a.mulScalar(1).sum().add(b.mulScalar(1).sum()).backward(); // grads 1, 1
    a.grad!.assign([3]);
    b.grad!.assign([4]);
    const { norm, scale } = await clipGradNorm([a, b], 1);
    expect(norm).toBeCloseTo(5, 6);
    expect(scale).toBeCloseTo(1 / (5 + 1e-6), 9);
    expect((await clipGradNorm([a, b], 10)).scale).toBe(1);
  });
});

describe('checkpoints', () => {
  it('saveModule/loadModule round-trip every parameter by name, atomically', async () => {
    const { mkdtemp, readdir, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { saveModule, loadModule } = await import('../src/index.js');
    const dir = await mkdtemp(join(tmpdir(), 'hippo-ckpt-'));
    try {
      const a = new Tiny(new Rng(5));
      const b = new Tiny(new Rng(6));
      await saveModule(join(dir, 'm.safetensors'), a, { step: '7' });
      expect(await readdir(dir)).toEqual(['m.safetensors']);
      const meta = await loadModule(join(dir, 'm.safetensors'), b);
      expect(meta).toEqual({ step: '7' });
      for (const [name, t] of a.namedParameters()) {
        expect([...(await b.stateDict().get(name)!.toArray())], name).toEqual([...(await t.toArray())]);
      }
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});
