// Softmax over the last axis, one workgroup per row: the row max (subtracted so exp cannot overflow), the sum
// of exponentials, then the scaled write; both reductions are workgroup trees (common/workgroup-reduce.wgsl).
override WG: u32 = 256u; // a power of two, for the tree reduction

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;         // [rows, dim]
@group(0) @binding(2) var<storage, read_write> out: array<f32>; // [rows, dim]

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let row = wid.x + wid.y * nwg.x;
  if (row >= p.rows) { return; } // uniform per workgroup, so the barriers below stay in uniform control flow
  let o = row * p.dim;
  var mx = -3.4028234663852886e38; // lowest f32: invocations past the end of the row contribute nothing
  for (var i = lid; i < p.dim; i += WG) { mx = max(mx, x[o + i]); }
  let m = workgroup_max(mx, lid);
  var sum = 0.0;
  for (var i = lid; i < p.dim; i += WG) { sum += exp(x[o + i] - m); }
  let inv = 1.0 / workgroup_sum(sum, lid);
  for (var i = lid; i < p.dim; i += WG) { out[o + i] = exp(x[o + i] - m) * inv; }
}
