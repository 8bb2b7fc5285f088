// Real rows from spectra, one workgroup per row: y[r, 0:out_len] = irfft_N(scale·spec[r])[0:out_len] for spec
// [rows, M + 1] in natural order (fused-spectrum's layout). With FLAG_FIRST, y[r, 0] also goes to first[r]
// (the kernel gradient's dD = dk[:, 0]).
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> tw: array<vec2<f32>>;
@group(0) @binding(2) var<storage, read> spec: array<vec2<f32>>;  // [rows, M + 1]
@group(0) @binding(3) var<storage, read_write> y: array<f32>;     // [rows, out_len]
@group(0) @binding(4) var<storage, read_write> first: array<f32>; // [rows] (FLAG_FIRST)

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let r = linear_workgroup(wid, nwg);
  if (r >= p.rows) { return; }
  let log_m = LOG_N - 1u;
  let so = r * (BUF + 1u);
  for (var t = lid; t <= BUF / 2u; t += WG) {
    let zs = irfft_pair(p.scale * spec[so + t], p.scale * spec[so + BUF - t], tw[t]);
    buf[bitrev((BUF - t) & (BUF - 1u), log_m)] = zs.g; // t = 0: position 0 gets Z'[0]
    buf[bitrev(t, log_m)] = zs.f;
  }
  workgroupBarrier();
  fft_inverse(lid);
  let out = r * p.out_len;
  for (var n = lid; n < BUF; n += WG) {
    let z = buf[n];
    if (2u * n < p.out_len) { y[out + 2u * n] = z.x; }
    if (2u * n + 1u < p.out_len) { y[out + 2u * n + 1u] = z.y; }
    if (n == 0u && has_flag(FLAG_FIRST)) { first[r] = z.x; }
  }
}
