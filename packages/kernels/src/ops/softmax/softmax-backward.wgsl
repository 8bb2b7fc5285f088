// Softmax backward, one workgroup per row: dx = y ⊙ (dy − Σ_j dy_j y_j), the dot product reduced by a
// workgroup tree (common/workgroup-reduce.wgsl).
override WG: u32 = 256u; // a power of two, for the tree reduction

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> y: array<f32>;        // [rows, dim]
@group(0) @binding(2) var<storage, read> dy: array<f32>;       // [rows, dim]
@group(0) @binding(3) var<storage, read_write> dx: array<f32>; // [rows, dim]

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let row = wid.x + wid.y * nwg.x;
  if (row >= p.rows) { return; } // uniform per workgroup, so the barriers below stay in uniform control flow
  let o = row * p.dim;
  var acc = 0.0;
  for (var i = lid; i < p.dim; i += WG) { acc += dy[o + i] * y[o + i]; }
  let total = workgroup_sum(acc, lid);
  for (var i = lid; i < p.dim; i += WG) { dx[o + i] = y[o + i] * (dy[o + i] - total); }
}
