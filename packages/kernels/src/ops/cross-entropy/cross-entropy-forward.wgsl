// losses[r] = logsumexp(logits[r]) − logits[r, t]: one workgroup per row, the row's (max, Σ exp(x − max))
// from row-max-sumexp.wgsl (one read of the row, never overflows).
override WG: u32 = 256u; // a power of two (tree reduction)

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> logits: array<f32>; // [rows, vocab]
@group(0) @binding(2) var<storage, read> targets: array<i32>; // [rows]
@group(0) @binding(3) var<storage, read_write> losses: array<f32>; // [rows]

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
  if (lid == 0u) {
    let t = targets[row];
    var loss = 0.0;
    if (t >= 0) {
      loss = ms.x + log(ms.y) - logits[base + u32(t)];
    }
    losses[row] = loss;
  }
}
