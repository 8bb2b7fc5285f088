// Softmax over the last axis, one workgroup per row: the row max (subtracted so exp cannot overflow), the sum
// of exponentials, then the scaled write; both reductions go through workgroup memory.
override WG: u32 = 256u; // a power of two, for the tree reduction

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;         // [rows, dim]
@group(0) @binding(2) var<storage, read_write> out: array<f32>; // [rows, dim]

var<workgroup> red: array<f32, WG>;

// Every invocation of the workgroup gets the max (take_max) or the sum of v.
fn workgroup_reduce(v: f32, lid: u32, take_max: bool) -> f32 {
  red[lid] = v;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (lid < s) {
      let a = red[lid];
      let b = red[lid + s];
      red[lid] = select(a + b, max(a, b), take_max);
    }
    workgroupBarrier();
  }
  let total = red[0];
  workgroupBarrier(); // the next reduction overwrites red
  return total;
}

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
  let m = workgroup_reduce(mx, lid, true);
  var sum = 0.0;
  for (var i = lid; i < p.dim; i += WG) { sum += exp(x[o + i] - m); }
  let inv = 1.0 / workgroup_reduce(sum, lid, false);
  for (var i = lid; i < p.dim; i += WG) { out[o + i] = exp(x[o + i] - m) * inv; }
}
