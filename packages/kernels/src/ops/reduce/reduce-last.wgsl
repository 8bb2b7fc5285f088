// Reduction of each contiguous row of x [outer, n] → out [outer]: one workgroup per row, each invocation
// accumulates a strided slice (coalesced reads), then a workgroup tree (common/workgroup-reduce.wgsl).
override OP: u32 = 0u; // 0 sum, 1 mean, 2 max
override WG: u32 = 256u; // a power of two

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

fn combine(a: f32, b: f32) -> f32 {
  if (OP == 2u) { return max(a, b); }
  return a + b;
}

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let row = wid.x + wid.y * nwg.x;
  if (row >= p.outer) { return; } // uniform per workgroup, so the barriers below stay in uniform control flow
  let base = row * p.n;
  // max starts from the row's first element (max is idempotent), so invocations past n contribute nothing new
  var acc = select(0.0, x[base], OP == 2u);
  for (var j = lid; j < p.n; j += WG) {
    acc = combine(acc, x[base + j]);
  }
  let total = workgroup_reduce(acc, lid, OP == 2u);
  if (lid == 0u) {
    out[row] = select(total, total / f32(p.n), OP == 1u);
  }
}
