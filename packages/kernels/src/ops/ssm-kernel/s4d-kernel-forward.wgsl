// S4D kernel forward K[h, l] = 2·Re Σ_n W_n·Ā_n^l: one invocation per TAPS consecutive taps (h, l..l+TAPS−1),
// a workgroup per WG·TAPS taps of one channel. The workgroup discretises the channel's modes WG at a time into
// workgroup memory (one mode per invocation), then every invocation sums over them in mode order (f32). Only
// the first tap's power is computed in full (s4d_power); the next ones multiply by Ā, which adds one rounding
// each and cuts the transcendental work by TAPS.
override WG: u32 = 64u;
override TAPS: u32 = 16u; // ≤ MAX_TAPS
const MAX_TAPS: u32 = 16u; // function-scope arrays cannot be override-sized

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> log_dt: array<f32>;       // [H]
@group(0) @binding(2) var<storage, read> inv_a_real: array<f32>;   // [H, N2]
@group(0) @binding(3) var<storage, read> a_imag: array<f32>;       // [H, N2]
@group(0) @binding(4) var<storage, read> b: array<vec2<f32>>;      // [H, N2]
@group(0) @binding(5) var<storage, read> c: array<vec2<f32>>;      // [H, N2]
@group(0) @binding(6) var<storage, read_write> k: array<f32>;      // [H, L]

var<workgroup> staged: array<S4dMode, WG>;

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let group = wid.x + wid.y * nwg.x;
  let h = group / p.tiles;
  if (h >= p.channels) { return; } // uniform per workgroup
  let l0 = ((group - h * p.tiles) * WG + lid) * TAPS;
  var acc: array<f32, MAX_TAPS>;
  for (var n0 = 0u; n0 < p.modes; n0 += WG) {
    let n = n0 + lid;
    if (n < p.modes) {
      let hn = h * p.modes + n;
      staged[lid] = s4d_mode(log_dt[h], inv_a_real[hn], a_imag[hn], b[hn], c[hn]);
    }
    workgroupBarrier();
    if (l0 < p.length) {
      for (var j = 0u; j < min(WG, p.modes - n0); j++) {
        let m = staged[j];
        var t = cmul(m.w, s4d_power(m, l0)); // W·Ā^l
        for (var i = 0u; i < TAPS; i++) {
          acc[i] += 2.0 * t.x;
          t = cmul(t, m.p);
        }
      }
    }
    workgroupBarrier(); // the next chunk overwrites the staged modes
  }
  for (var i = 0u; i < TAPS; i++) {
    if (l0 + i < p.length) { k[h * p.length + l0 + i] = acc[i]; }
  }
}
