// Reference batched matmul with optional transposes and bias: out[b] = op(a[b]) · op(b[b]) + bias.
// Also the CPU engine's matmul: i-k-j order so the inner loop runs along contiguous rows of B and out.
import type { FloatArray } from '../../util/types.js';

/** Dims of one batched matmul; the stored layouts follow the transpose flags. */
export interface MatmulParams {
  batch: number;
  M: number;
  N: number;
  K: number;
  /** a is stored [batch, K, M] instead of [batch, M, K]. */
  transA: boolean;
  /** b is stored [batch, N, K] instead of [batch, K, N]. */
  transB: boolean;
}

/** A fresh array of the same float type as `like`. */
function alike(like: FloatArray, n: number): FloatArray {
  return like instanceof Float64Array ? new Float64Array(n) : new Float32Array(n);
}

/** dst [cols, rows] = transpose of src [rows, cols] starting at `offset`. */
function transpose(dst: FloatArray, src: FloatArray, offset: number, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const s = offset + r * cols;
    for (let c = 0; c < cols; c++) dst[c * rows + r] = src[s + c];
  }
}

/**
 * out [batch, M, N] = A · B (+ bias [N] on every row), where A [M, K] is a[b] or its transpose (transA, a stored
 * [batch, K, M]) and B [K, N] is b[b] or its transpose (transB, b stored [batch, N, K]). Overwrites out.
 * Sums accumulate in out's own precision; transposed operands are packed once per batch so the inner loop is
 * always contiguous.
 */
export function matmulRef(out: FloatArray, a: FloatArray, b: FloatArray, bias: FloatArray | null, p: MatmulParams): void {
  const { batch, M, N, K, transA, transB } = p;
  const packedA = transA ? alike(a, M * K) : null; // [M, K]
  const packedB = transB ? alike(b, K * N) : null; // [K, N]
  for (let bi = 0; bi < batch; bi++) {
    let A = a;
    let aBase = bi * M * K;
    if (packedA) {
      transpose(packedA, a, aBase, K, M);
      A = packedA;
      aBase = 0;
    }
    let B = b;
    let bBase = bi * K * N;
    if (packedB) {
      transpose(packedB, b, bBase, N, K);
      B = packedB;
      bBase = 0;
    }
    for (let i = 0; i < M; i++) {
      const o = (bi * M + i) * N;
      if (bias) for (let j = 0; j < N; j++) out[o + j] = bias[j];
      else out.fill(0, o, o + N);
      const aRow = aBase + i * K;
      for (let k = 0; k < K; k++) {
        const aik = A[aRow + k];
        const bRow = bBase + k * N;
        for (let j = 0; j < N; j++) out[o + j] += aik * B[bRow + j];
      }
    }
  }
}
