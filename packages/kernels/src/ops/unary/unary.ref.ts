// Reference elementwise unary ops, their backward passes, and fill. GELU is the tanh approximation of
// Hendrycks & Gimpel (2016); dropout draws its mask from the stateless hashU32(seed, i).
import { hashU32 } from '../../util/rng.js';
import type { FloatArray } from '../../util/types.js';

export type UnaryOp = 'neg' | 'exp' | 'log' | 'sqrt' | 'square' | 'relu' | 'gelu' | 'tanh' | 'sigmoid' | 'scale' | 'addScalar' | 'dropout';

/** Op numbers shared by unary.wgsl and the WebAssembly kernel (src/wasm/assembly/unary.ts). */
export const UNARY_OP_IDS: Record<UnaryOp, number> = {
  neg: 0,
  exp: 1,
  log: 2,
  sqrt: 3,
  square: 4,
  relu: 5,
  gelu: 6,
  tanh: 7,
  sigmoid: 8,
  scale: 9,
  addScalar: 10,
  dropout: 11,
};

/**
 * `n` elements. `alpha`: the factor of 'scale' (default 1), the addend of 'addScalar' (default 0), the drop
 * probability p of 'dropout' (default 0). `seed`: the dropout mask's seed (default 0).
 */
export interface UnaryParams {
  n: number;
  alpha?: number;
  seed?: number;
}

/** √(2/π), the GELU tanh-approximation constant. */
export const GELU_C = Math.sqrt(2 / Math.PI);
/** Cubic coefficient of the GELU tanh approximation. */
export const GELU_K = 0.044715;
const TWO_32 = 4294967296;

/** The op's alpha with its identity default. */
export function unaryAlpha(op: UnaryOp, p: UnaryParams): number {
  return p.alpha ?? (op === 'scale' ? 1 : 0);
}

/** Whether dropout keeps element i: hashU32(seed, i) / 2^32 ≥ p. */
export function dropoutKeeps(seed: number, i: number, prob: number): boolean {
  return hashU32(seed, i) / TWO_32 >= prob;
}

/** Numerically safe logistic function: exp only ever sees −|x|. */
function sigmoid(x: number): number {
  const e = Math.exp(-Math.abs(x));
  return x >= 0 ? 1 / (1 + e) : e / (1 + e);
}

/** 2u for GELU's u = √(2/π)(x + 0.044715x³): 0.5(1 + tanh u) = sigmoid(2u), which does not cancel for x ≪ 0. */
function geluZ(x: number): number {
  return 2 * GELU_C * (x + GELU_K * x * x * x);
}

/** out[i] = f(x[i]) for i < p.n. */
export function unaryRef(op: UnaryOp, out: FloatArray, x: FloatArray, p: UnaryParams): void {
  const { n } = p;
  const alpha = unaryAlpha(op, p);
  switch (op) {
    case 'neg':
      for (let i = 0; i < n; i++) out[i] = -x[i];
      break;
    case 'exp':
      for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]);
      break;
    case 'log':
      for (let i = 0; i < n; i++) out[i] = Math.log(x[i]);
      break;
    case 'sqrt':
      for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]);
      break;
    case 'square':
      for (let i = 0; i < n; i++) out[i] = x[i] * x[i];
      break;
    case 'relu':
      for (let i = 0; i < n; i++) out[i] = x[i] > 0 ? x[i] : 0;
      break;
    case 'gelu':
      for (let i = 0; i < n; i++) out[i] = x[i] * sigmoid(geluZ(x[i]));
      break;
    case 'tanh':
      for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]);
      break;
    case 'sigmoid':
      for (let i = 0; i < n; i++) out[i] = sigmoid(x[i]);
      break;
    case 'scale':
      for (let i = 0; i < n; i++) out[i] = alpha * x[i];
      break;
    case 'addScalar':
      for (let i = 0; i < n; i++) out[i] = x[i] + alpha;
      break;
    case 'dropout': {
      const seed = p.seed ?? 0;
      for (let i = 0; i < n; i++) out[i] = dropoutKeeps(seed, i, alpha) ? x[i] / (1 - alpha) : 0;
      break;
    }
  }
}

/** dx[i] = dy[i] · f'(x[i]), with y = f(x) given too (used where it is cheaper); overwrites dx. */
export function unaryBackwardRef(op: UnaryOp, dx: FloatArray, x: FloatArray, y: FloatArray, dy: FloatArray, p: UnaryParams): void {
  const { n } = p;
  const alpha = unaryAlpha(op, p);
  switch (op) {
    case 'neg':
      for (let i = 0; i < n; i++) dx[i] = -dy[i];
      break;
    case 'exp':
      for (let i = 0; i < n; i++) dx[i] = dy[i] * y[i];
      break;
    case 'log':
      for (let i = 0; i < n; i++) dx[i] = dy[i] / x[i];
      break;
    case 'sqrt':
      for (let i = 0; i < n; i++) dx[i] = (0.5 * dy[i]) / y[i];
      break;
    case 'square':
      for (let i = 0; i < n; i++) dx[i] = 2 * x[i] * dy[i];
      break;
    case 'relu':
      for (let i = 0; i < n; i++) dx[i] = x[i] > 0 ? dy[i] : 0;
      break;
    case 'gelu':
      for (let i = 0; i < n; i++) {
        // gelu = x·sigmoid(z), so gelu' = sigmoid(z) + x·sigmoid'(z)·z', with sigmoid' = e/(1+e)², e = exp(−|z|)
        const v = x[i];
        const z = geluZ(v);
        const e = Math.exp(-Math.abs(z));
        const dz = 2 * GELU_C * (1 + 3 * GELU_K * v * v);
        dx[i] = dy[i] * (sigmoid(z) + (v * dz * e) / ((1 + e) * (1 + e)));
      }
      break;
    case 'tanh':
      // (1−y)(1+y) rather than 1−y²: no cancellation when |y| is near 1
      for (let i = 0; i < n; i++) dx[i] = dy[i] * (1 - y[i]) * (1 + y[i]);
      break;
    case 'sigmoid':
      for (let i = 0; i < n; i++) dx[i] = dy[i] * y[i] * (1 - y[i]);
      break;
    case 'scale':
      for (let i = 0; i < n; i++) dx[i] = alpha * dy[i];
      break;
    case 'addScalar':
      for (let i = 0; i < n; i++) dx[i] = dy[i];
      break;
    case 'dropout': {
      const seed = p.seed ?? 0;
      for (let i = 0; i < n; i++) dx[i] = dropoutKeeps(seed, i, alpha) ? dy[i] / (1 - alpha) : 0;
      break;
    }
  }
}

/** out[0..n) = value. */
export function fillRef(out: FloatArray | Int32Array, value: number, n: number): void {
  out.fill(value, 0, n);
}
