// The (max, Σ exp(x − max)) of one logits row, shared by the cross-entropy kernels (a KernelSpec library).
// Each invocation keeps a running pair over its strided slice, rescaling the sum when the max grows (one read
// of the row, never overflows); the pairs are then merged in a workgroup tree. Contract: the kernel declares
// `logits: array<f32>` and `override WG: u32`, its workgroup size, a power of two; every invocation of the
// workgroup calls from uniform control flow; every invocation gets the pair.

// finite rather than -inf, so merging two empty slices computes exp(0)·0, not exp(NaN)
const LOWEST: f32 = -0x1.fffffep+127f; // -f32 max

var<workgroup> lse_max: array<f32, WG>;
var<workgroup> lse_sum: array<f32, WG>;

// (max, Σ exp(x − max)) over logits[base .. base + n).
fn row_max_sumexp(base: u32, n: u32, lid: u32) -> vec2<f32> {
  var m = LOWEST;
  var s = 0.0;
  for (var j = lid; j < n; j += WG) {
    let x = logits[base + j];
    if (x > m) {
      s = s * exp(m - x) + 1.0;
      m = x;
    } else {
      s += exp(x - m);
    }
  }
  lse_max[lid] = m;
  lse_sum[lid] = s;
  workgroupBarrier();
  for (var k = WG / 2u; k > 0u; k >>= 1u) {
    if (lid < k) {
      let m2 = lse_max[lid + k];
      let mm = max(m, m2);
      s = s * exp(m - mm) + lse_sum[lid + k] * exp(m2 - mm);
      m = mm;
      lse_max[lid] = m;
      lse_sum[lid] = s;
    }
    workgroupBarrier();
  }
  let pair = vec2<f32>(lse_max[0], lse_sum[0]);
  workgroupBarrier(); // a second call overwrites the scratch
  return pair;
}
