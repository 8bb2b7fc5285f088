// One token of the diagonal SSM (see diag-step.ref.ts), fused, one invocation per row (b, h) looping over its
// modes: no barriers, for software adapters (see step-layout.ts). Same arithmetic as diag-step.wgsl.
override WG: u32 = 64u;

// bindings (p, z, A, W, D, state, y): diag-step-io.wgsl, prepended

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let row = gid.x + gid.y * nwg.x * WG; // b·H + h
  if (row >= p.rows) { return; }
  let h = row % p.channels;
  let zt = z[row];
  var acc = 0.0;
  for (var n = 0u; n < p.modes; n++) {
    let a = A[h * p.modes + n];
    let s = state[row * p.modes + n];
    let next = vec2<f32>(a.x * s.x - a.y * s.y + zt, a.x * s.y + a.y * s.x);
    state[row * p.modes + n] = next;
    let w = W[h * p.modes + n];
    acc += w.x * next.x - w.y * next.y;
  }
  y[row] = 2.0 * acc + D[h] * zt;
}
