// The shift SSM's state after a prompt (see shift-step.ref.ts): state[row, j] = k[row, L−1−j], 0 before the
// prompt. One invocation per state entry; a copy, so exact.
override WG: u32 = 256u;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> k: array<f32>;             // [B, d, L]
@group(0) @binding(2) var<storage, read_write> state: array<f32>;   // [B, d, N]

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG; // row·N + j
  if (i >= p.rows * p.stateSize) { return; }
  let row = i / p.stateSize;
  let j = i % p.stateSize;
  var v = 0.0;
  if (j < p.length) { v = k[row * p.length + p.length - 1u - j]; }
  state[i] = v;
}
