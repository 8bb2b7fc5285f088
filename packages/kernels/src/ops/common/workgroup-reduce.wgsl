// Workgroup tree reductions for the one-workgroup-per-row kernels (a KernelSpec library). Contract: the kernel
// declares `override WG: u32`, its workgroup size, a power of two; every invocation of the workgroup calls
// from uniform control flow with its local_invocation_index; every invocation gets the result. Each call ends
// with a barrier, so calls may follow one another without one in between.

var<workgroup> wg_reduce_f32: array<f32, WG>;
var<workgroup> wg_reduce_vec2: array<vec2<f32>, WG>;

// The max (take_max) or the sum of v over the workgroup.
fn workgroup_reduce(v: f32, lid: u32, take_max: bool) -> f32 {
  wg_reduce_f32[lid] = v;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (lid < s) {
      let a = wg_reduce_f32[lid];
      let b = wg_reduce_f32[lid + s];
      wg_reduce_f32[lid] = select(a + b, max(a, b), take_max);
    }
    workgroupBarrier();
  }
  let total = wg_reduce_f32[0];
  workgroupBarrier(); // the next call overwrites the scratch
  return total;
}

fn workgroup_sum(v: f32, lid: u32) -> f32 {
  return workgroup_reduce(v, lid, false);
}

fn workgroup_max(v: f32, lid: u32) -> f32 {
  return workgroup_reduce(v, lid, true);
}

// Two sums for the barriers of one.
fn workgroup_sum2(v: vec2<f32>, lid: u32) -> vec2<f32> {
  wg_reduce_vec2[lid] = v;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (lid < s) { wg_reduce_vec2[lid] += wg_reduce_vec2[lid + s]; }
    workgroupBarrier();
  }
  let total = wg_reduce_vec2[0];
  workgroupBarrier(); // the next call overwrites the scratch
  return total;
}
