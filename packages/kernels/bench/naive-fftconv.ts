// The benchmark's unfused baseline: the FFT convolution as a naive multi-dispatch WGSL program, one dispatch per
// radix-2 stage of a complex FFT of size N = 2·2^⌈log2 L⌉ with a zero imaginary part (the earlier probe's
// design, float64-computed twiddles). It is a timing baseline only; its accuracy is checked in fftconv.bench.ts.
import { GpuContext } from '../src/runtime/gpu-context.js';
import { uniformStruct } from '../src/runtime/uniform.js';
import { twiddleTable, type FftConvParams } from '../src/ops/fftconv/plan.js';
import crossSource from './naive-fftconv/cross.wgsl';
import multiplySource from './naive-fftconv/multiply.wgsl';
import packSource from './naive-fftconv/pack.wgsl';
import skipGradSource from './naive-fftconv/skip-grad.wgsl';
import stageSource from './naive-fftconv/stage.wgsl';
import unpackSource from './naive-fftconv/unpack.wgsl';

const Params = uniformStruct('Params', {
  rows: 'u32',
  n: 'u32',
  log_n: 'u32',
  len: 'u32',
  half: 'u32',
  channels: 'u32',
  batch: 'u32',
  inverse: 'u32',
  skip: 'u32',
});
type Values = { rows: number; len: number; half?: number; inverse?: number; skip?: number };

/** The naive baseline on one context: forward and backward with the same contract as fftConvForward/Backward. */
export class NaiveFftConv {
  private readonly tw: GPUBuffer;
  private readonly n: number;
  private readonly logN: number;

  constructor(
    private readonly ctx: GpuContext,
    private readonly p: FftConvParams,
  ) {
    this.n = 2 * 2 ** Math.ceil(Math.log2(p.length));
    this.logN = Math.log2(this.n);
    this.tw = ctx.acquire(this.n * 4);
    ctx.upload(this.tw, Float32Array.from(twiddleTable(this.n)));
  }

  private run(name: string, source: string, bindings: ('read' | 'rw')[], bufs: GPUBuffer[], v: Values, threads: number): void {
    const kernel = this.ctx.kernel({ key: { op: 'naiveFftConv', fn: name }, source, uniform: Params, bindings });
    const { batch, channels } = this.p;
    const params = { n: this.n, log_n: this.logN, half: 1, inverse: 0, skip: 0, batch, channels, ...v };
    kernel.dispatch(bufs, params, this.ctx.grid(Math.ceil(threads / 256)));
  }

  /** a [rows, N] ← FFT of the real rows x [rows, len]: a bit-reversing pack, then log2 N stage dispatches. */
  private fft(a: GPUBuffer, x: GPUBuffer, rows: number, len: number): void {
    this.run('pack', packSource, ['read', 'rw'], [x, a], { rows, len }, rows * this.n);
    this.stages(a, rows, 0);
  }

  private stages(a: GPUBuffer, rows: number, inverse: number): void {
    for (let half = 1; half < this.n; half *= 2) this.run('stage', stageSource, ['read', 'rw'], [this.tw, a], { rows, len: 0, half, inverse }, (rows * this.n) / 2);
  }

  /** out = Re IFFT(a ⊙ k[h] (conjugated with `conj`)) / N (+ D·x with `skip`) for the first len points. */
  private filter(out: GPUBuffer, a: GPUBuffer, k: GPUBuffer, x: GPUBuffer, D: GPUBuffer, conj: boolean): void {
    const { batch: B, channels: H, length: L } = this.p;
    const rows = B * H;
    const c = this.ctx.acquire(rows * this.n * 8);
    this.run('multiply', multiplySource, ['read', 'read', 'rw'], [a, k, c], { rows, len: L, inverse: Number(conj) }, rows * this.n);
    this.stages(c, rows, 1);
    this.run('unpack', unpackSource, ['read', 'read', 'read', 'rw'], [c, x, D, out], { rows, len: L, skip: 1 }, rows * L);
    this.ctx.release(c);
  }

  forward(y: GPUBuffer, u: GPUBuffer, k: GPUBuffer, D: GPUBuffer): void {
    const { batch: B, channels: H, length: L, kernelLength: Lk } = this.p;
    const a = this.ctx.acquire(B * H * this.n * 8);
    const kf = this.ctx.acquire(H * this.n * 8);
    this.fft(kf, k, H, Lk);
    this.fft(a, u, B * H, L);
    this.filter(y, a, kf, u, D, false);
    this.ctx.release(a);
    this.ctx.release(kf);
  }

  backward(du: GPUBuffer, dk: GPUBuffer, dD: GPUBuffer, dy: GPUBuffer, u: GPUBuffer, k: GPUBuffer, D: GPUBuffer): void {
    const { batch: B, channels: H, length: L, kernelLength: Lk } = this.p;
    const rows = B * H;
    const g = this.ctx.acquire(rows * this.n * 8);
    const a = this.ctx.acquire(rows * this.n * 8);
    const kf = this.ctx.acquire(H * this.n * 8);
    const s = this.ctx.acquire(H * this.n * 8);
    this.fft(kf, k, H, Lk);
    this.fft(g, dy, rows, L);
    this.fft(a, u, rows, L);
    this.filter(du, g, kf, dy, D, true);
    this.run('cross', crossSource, ['read', 'read', 'rw'], [g, a, s], { rows, len: L }, H * this.n);
    this.stages(s, H, 1);
    this.run('unpack', unpackSource, ['read', 'read', 'read', 'rw'], [s, kf, D, dk], { rows: H, len: Lk }, H * Lk);
    this.run('skipGrad', skipGradSource, ['read', 'read', 'rw'], [dy, u, dD], { rows, len: L }, H);
    for (const b of [g, a, kf, s]) this.ctx.release(b);
  }

  release(): void {
    this.ctx.release(this.tw);
  }
}
