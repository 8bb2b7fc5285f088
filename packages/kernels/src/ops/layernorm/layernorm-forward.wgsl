// Layer norm forward, one workgroup per row: the mean, then the sum of squared deviations from it (two passes,
// so no cancellation when |mean| ≫ std), each reduced by a workgroup tree (common/workgroup-reduce.wgsl).
// Saves mean and rstd per row.
override WG: u32 = 256u; // a power of two, for the tree reduction

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;        // [rows, dim]
@group(0) @binding(2) var<storage, read> weight: array<f32>;   // [dim]
@group(0) @binding(3) var<storage, read> bias: array<f32>;     // [dim]
@group(0) @binding(4) var<storage, read_write> out: array<f32>; // [rows, dim]
@group(0) @binding(5) var<storage, read_write> mean: array<f32>; // [rows]
@group(0) @binding(6) var<storage, read_write> rstd: array<f32>; // [rows]

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let row = wid.x + wid.y * nwg.x;
  if (row >= p.rows) { return; } // uniform per workgroup, so the barriers below stay in uniform control flow
  let o = row * p.dim;
  var sum = 0.0;
  for (var i = lid; i < p.dim; i += WG) { sum += x[o + i]; }
  let m = workgroup_sum(sum, lid) / f32(p.dim);
  var sq = 0.0;
  for (var i = lid; i < p.dim; i += WG) {
    let d = x[o + i] - m;
    sq += d * d;
  }
  let rs = inverseSqrt(workgroup_sum(sq, lid) / f32(p.dim) + p.eps);
  for (var i = lid; i < p.dim; i += WG) { out[o + i] = (x[o + i] - m) * rs * weight[i] + bias[i]; }
  if (lid == 0u) {
    mean[row] = m;
    rstd[row] = rs;
  }
}
