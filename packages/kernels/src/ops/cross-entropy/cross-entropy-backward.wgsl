// dlogits[r, j] = (softmax(logits[r])_j − [j = t]) · dlosses[r]: one workgroup per row. The row's
// (max, Σ exp(x − max)) is reduced exactly as in the forward, then every invocation writes its strided slice.
override WG: u32 = 256u; // a power of two (tree reduction)

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> logits: array<f32>; // [rows, vocab]
@group(0) @binding(2) var<storage, read> targets: array<i32>; // [rows]
@group(0) @binding(3) var<storage, read> dlosses: array<f32>; // [rows]
@group(0) @binding(4) var<storage, read_write> dlogits: array<f32>; // [rows, vocab]

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
  let rowMax = wmax[0];
  let invSum = 1.0 / wsum[0];
  let t = targets[row];
  // ignored rows (t < 0) get g = 0, so the whole row is written as 0
  let g = select(0.0, dlosses[row], t >= 0);
  for (var j = lid; j < p.vocab; j += WG) {
    let onehot = select(0.0, 1.0, i32(j) == t);
    dlogits[base + j] = (exp(logits[base + j] - rowMax) * invSum - onehot) * g;
  }
}
