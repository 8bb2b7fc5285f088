// One token of the diagonal SSM (see diag-step.ref.ts), fused, the 'segmented' layout (step-layout.ts): NP
// invocations per row (b, h), one per mode n, update their mode's state in place, and the row's output
// 2·Re Σ_n W_n·s_n is a segment sum in workgroup memory (segment-sum.wgsl), WG / NP rows per workgroup.
override WG: u32 = 256u;
override NP: u32 = 32u; // a power of two ≥ N2

// bindings (p, z, A, W, D, state, y): diag-step-io.wgsl, prepended

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let row = (wid.x + wid.y * nwg.x) * (WG / NP) + lid / NP; // b·H + h
  let n = lid % NP;
  let h = row % p.channels;
  var zt = 0.0;
  if (row < p.rows) { zt = z[row]; }
  var term = 0.0; // invocations past the row's modes or the last row add nothing
  if (row < p.rows && n < p.modes) {
    let a = A[h * p.modes + n];
    let s = state[row * p.modes + n];
    let next = vec2<f32>(a.x * s.x - a.y * s.y + zt, a.x * s.y + a.y * s.x);
    state[row * p.modes + n] = next;
    let w = W[h * p.modes + n];
    term = w.x * next.x - w.y * next.y;
  }
  let total = segment_sum(term, lid);
  if (row < p.rows && n == 0u) { y[row] = 2.0 * total + D[h] * zt; }
}
