// S4D kernel backward, one workgroup per (h, n): s0 = Σ_l dK[l]·conj(Ā^l) and s1 = Σ_l dK[l]·l·conj(Ā^(l−1))
// by per-invocation sums over blocks of TAPS consecutive l (strided by WG·TAPS; within a block the powers are
// running products by Ā, as in the forward) and a fixed-order tree (common/workgroup-reduce.wgsl), then the chain rule
// through W = C·B̄ and the bilinear map (s4dKernelBackwardRef). The mode's share of dlogDt goes to
// dlog_part [H, N2]; s4d-logdt-reduce.wgsl sums it over n in order (no atomics, bit-reproducible).
override WG: u32 = 64u; // a power of two, for the tree reduction
override TAPS: u32 = 16u;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> dk: array<f32>;                   // [H, L]
@group(0) @binding(2) var<storage, read> log_dt: array<f32>;               // [H]
@group(0) @binding(3) var<storage, read> inv_a_real: array<f32>;           // [H, N2]
@group(0) @binding(4) var<storage, read> a_imag: array<f32>;               // [H, N2]
@group(0) @binding(5) var<storage, read> b: array<vec2<f32>>;              // [H, N2]
@group(0) @binding(6) var<storage, read> c: array<vec2<f32>>;              // [H, N2]
@group(0) @binding(7) var<storage, read_write> d_inv_a_real: array<f32>;   // [H, N2]
@group(0) @binding(8) var<storage, read_write> d_a_imag: array<f32>;       // [H, N2]
@group(0) @binding(9) var<storage, read_write> db: array<vec2<f32>>;       // [H, N2]
@group(0) @binding(10) var<storage, read_write> dc: array<vec2<f32>>;      // [H, N2]
@group(0) @binding(11) var<storage, read_write> dlog_part: array<f32>;     // [H, N2]

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let hn = wid.x + wid.y * nwg.x;
  if (hn >= p.channels * p.modes) { return; } // uniform per workgroup
  let h = hn / p.modes;
  let m = s4d_mode(log_dt[h], inv_a_real[hn], a_imag[hn], b[hn], c[hn]);
  var s0 = vec2<f32>(0.0);
  var s1 = vec2<f32>(0.0);
  for (var l0 = lid * TAPS; l0 < p.length; l0 += WG * TAPS) {
    var prev = s4d_power(m, max(l0, 1u) - 1u); // Ā^(l−1)
    var cur = select(cmul(prev, m.p), vec2<f32>(1.0, 0.0), l0 == 0u); // Ā^l
    for (var l = l0; l < min(l0 + TAPS, p.length); l++) {
      let g = dk[h * p.length + l];
      s0 += g * conj(cur);
      if (l > 0u) { s1 += g * f32(l) * conj(prev); }
      prev = cur;
      cur = cmul(cur, m.p);
    }
  }
  s0 = workgroup_sum2(s0, lid);
  s1 = workgroup_sum2(s1, lid);
  if (lid != 0u) { return; }
  let dw = 2.0 * s0;
  let dp = 2.0 * cmul(conj(m.w), s1);
  dc[hn] = cmul(conj(m.bbar), dw);
  let dbbar = cmul(conj(c[hn]), dw);
  db[hn] = m.dt * cmul(conj(m.r), dbbar);
  let dz = cmul(conj(2.0 * cmul(m.r, m.r)), dp) + cmul(conj(cmul(m.bbar, m.r)), dbbar);
  d_a_imag[hn] = 0.5 * m.dt * dz.y;
  d_inv_a_real[hn] = 0.5 * m.dt * dz.x * m.ar;
  dlog_part[hn] = dot(dz, m.z) + dot(dbbar, m.bbar);
}
