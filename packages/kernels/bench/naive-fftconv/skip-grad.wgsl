// Naive baseline: dD[h] = Σ_b Σ_t dy·u, one invocation per channel (a plain serial sum).
override WG: u32 = 256u;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> dy: array<f32>;        // [B, H, len]
@group(0) @binding(2) var<storage, read> u: array<f32>;         // [B, H, len]
@group(0) @binding(3) var<storage, read_write> dd: array<f32>;  // [H]

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let h = gid.x + gid.y * nwg.x * WG;
  if (h >= p.channels) { return; }
  var acc = 0.0;
  for (var bb = 0u; bb < p.batch; bb++) {
    let o = (bb * p.channels + h) * p.len;
    for (var t = 0u; t < p.len; t++) { acc += dy[o + t] * u[o + t]; }
  }
  dd[h] = acc;
}
