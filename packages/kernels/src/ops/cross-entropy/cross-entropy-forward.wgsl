// losses[r] = logsumexp(logits[r]) − logits[r, t]: one workgroup per row. Each invocation keeps a running
// (max, Σ exp(x − max)) over its strided slice, rescaling the sum when the max grows (one read of the row,
// never overflows); the pairs are then merged in a workgroup tree.
override WG: u32 = 256u; // a power of two (tree reduction)

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> logits: array<f32>; // [rows, vocab]
@group(0) @binding(2) var<storage, read> targets: array<i32>; // [rows]
@group(0) @binding(3) var<storage, read_write> losses: array<f32>; // [rows]

// finite rather than -inf, so merging two empty slices computes exp(0)·0, not exp(NaN)
const LOWEST: f32 = -0x1.fffffep+127f; // -f32 max

var<workgroup> wmax: array<f32, WG>;
var<workgroup> wsum: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let row = wid.x + wid.y * nwg.x;
  if (row >= p.rows) { return; }
  let base = row * p.vocab;
  var m = LOWEST;
  var s = 0.0;
  for (var j = lid; j < p.vocab; j += WG) {
    let x = logits[base + j];
    if (x > m) {
      s = s * exp(m - x) + 1.0;
      m = x;
    } else {
      s += exp(x - m);
    }
  }
  wmax[lid] = m;
  wsum[lid] = s;
  workgroupBarrier();
  for (var k = WG / 2u; k > 0u; k >>= 1u) {
    if (lid < k) {
      let m2 = wmax[lid + k];
      let mm = max(m, m2);
      s = s * exp(m - mm) + wsum[lid + k] * exp(m2 - mm);
      m = mm;
      wmax[lid] = m;
      wsum[lid] = s;
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    let t = targets[row];
    var loss = 0.0;
    if (t >= 0) {
      loss = m + log(s) - logits[base + u32(t)];
    }
    losses[row] = loss;
  }
}
