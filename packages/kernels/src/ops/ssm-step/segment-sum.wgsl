// Sums over segments of NP consecutive invocations (a KernelSpec library): the step kernels give each row
// (a channel of one sequence) NP = a power of two ≥ its length invocations, WG / NP rows per workgroup.
// Contract: the kernel declares `override WG: u32` and `override NP: u32` (powers of two, NP ≤ WG) and calls
// from uniform control flow; every invocation gets its segment's sum. Ends with a barrier.

var<workgroup> seg_partial: array<f32, WG>;

fn segment_sum(v: f32, lid: u32) -> f32 {
  seg_partial[lid] = v;
  workgroupBarrier();
  let lane = lid % NP;
  for (var s = NP / 2u; s > 0u; s >>= 1u) {
    if (lane < s) { seg_partial[lid] += seg_partial[lid + s]; }
    workgroupBarrier();
  }
  let total = seg_partial[lid - lane];
  workgroupBarrier(); // the next call overwrites the scratch
  return total;
}
