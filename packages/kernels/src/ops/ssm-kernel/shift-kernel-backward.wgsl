// Shift-SSM kernel backward, one invocation per (h, i < N):
// dB[i] = Σ_{j < Lk, i + j < N} dk[j]·C[i + j],  dC[i] = Σ_{j < Lk, j ≤ i} dk[j]·B[i − j].
override WG: u32 = 64u;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> dk: array<f32>;         // [H, Lk]
@group(0) @binding(2) var<storage, read> b: array<f32>;          // [H, N]
@group(0) @binding(3) var<storage, read> c: array<f32>;          // [H, N]
@group(0) @binding(4) var<storage, read_write> db: array<f32>;   // [H, N]
@group(0) @binding(5) var<storage, read_write> dc: array<f32>;   // [H, N]

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let idx = gid.x + gid.y * nwg.x * WG;
  if (idx >= p.channels * p.state) { return; }
  let h = idx / p.state;
  let i = idx - h * p.state;
  var acc_b = 0.0;
  var acc_c = 0.0;
  for (var j = 0u; j < p.taps; j++) {
    let g = dk[h * p.taps + j];
    if (i + j < p.state) { acc_b += g * c[idx + j]; }
    if (j <= i) { acc_c += g * b[idx - j]; }
  }
  db[idx] = acc_b;
  dc[idx] = acc_c;
}
