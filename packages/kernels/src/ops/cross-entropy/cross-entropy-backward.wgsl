// dlogits[r, j] = (softmax(logits[r])_j − [j = t]) · dlosses[r]: one workgroup per row. The row's
// (max, Σ exp(x − max)) comes from row-max-sumexp.wgsl, as in the forward, then every invocation writes its
// strided slice.
override WG: u32 = 256u; // a power of two (tree reduction)

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> logits: array<f32>; // [rows, vocab]
@group(0) @binding(2) var<storage, read> targets: array<i32>; // [rows]
@group(0) @binding(3) var<storage, read> dlosses: array<f32>; // [rows]
@group(0) @binding(4) var<storage, read_write> dlogits: array<f32>; // [rows, vocab]

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let row = wid.x + wid.y * nwg.x;
  if (row >= p.rows) { return; } // uniform per workgroup, so the barriers below stay in uniform control flow
  let base = row * p.vocab;
  let ms = row_max_sumexp(base, p.vocab, lid);
  let rowMax = ms.x;
  let invSum = 1.0 / ms.y;
  let t = targets[row];
  // ignored rows (t < 0) get g = 0, so the whole row is written as 0
  let g = select(0.0, dlosses[row], t >= 0);
  for (var j = lid; j < p.vocab; j += WG) {
    let onehot = select(0.0, 1.0, i32(j) == t);
    dlogits[base + j] = (exp(logits[base + j] - rowMax) * invSum - onehot) * g;
  }
}
