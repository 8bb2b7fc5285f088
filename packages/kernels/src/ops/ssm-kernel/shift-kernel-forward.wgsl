// Shift-SSM kernel k[h, j] = Σ_{m + j < N} B[h, m]·C[h, m + j], one invocation per (h, j < Lk).
override WG: u32 = 64u;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> b: array<f32>;          // [H, N]
@group(0) @binding(2) var<storage, read> c: array<f32>;          // [H, N]
@group(0) @binding(3) var<storage, read_write> k: array<f32>;    // [H, Lk]

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= p.channels * p.taps) { return; }
  let h = i / p.taps;
  let j = i - h * p.taps;
  var acc = 0.0;
  for (var m = 0u; m + j < p.state; m++) { acc += b[h * p.state + m] * c[h * p.state + m + j]; }
  k[i] = acc;
}
