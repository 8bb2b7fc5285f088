// One token of the shift SSM (see shift-step.ref.ts), fused, one invocation per row (b, c) walking its history
// from the newest slot, carrying each value one slot along: no barriers, for software adapters (step-layout.ts).
override WG: u32 = 64u;

// bindings (p, k, kernel, D, state, y): shift-step-io.wgsl, prepended

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let row = gid.x + gid.y * nwg.x * WG; // b·d + c
  if (row >= p.rows) { return; }
  let c = row % p.channels;
  let o = row * p.stateSize;
  let kt = k[row];
  var acc = 0.0;
  var v = kt; // the value moving into slot j
  for (var j = 0u; j < p.stateSize; j++) {
    let older = state[o + j];
    state[o + j] = v;
    acc += kernel[c * p.stateSize + j] * v;
    v = older;
  }
  y[row] = acc + D[c] * kt;
}
