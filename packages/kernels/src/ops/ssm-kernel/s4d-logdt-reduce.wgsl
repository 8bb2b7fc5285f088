// dlogDt[h] = Σ_n dlog_part[h, n], in mode order: one invocation per channel.
override WG: u32 = 64u;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> dlog_part: array<f32>;        // [H, N2]
@group(0) @binding(2) var<storage, read_write> d_log_dt: array<f32>;   // [H]

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let h = gid.x + gid.y * nwg.x * WG;
  if (h >= p.channels) { return; }
  var acc = 0.0;
  for (var n = 0u; n < p.modes; n++) { acc += dlog_part[h * p.modes + n]; }
  d_log_dt[h] = acc;
}
