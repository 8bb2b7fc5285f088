// Spectra of real rows for the fused path, one workgroup per row of x (rows as in fft-rows.wgsl):
// spec[r, f] = scale·(rfft_N(x[r])[f] + D[h] if FLAG_ADD_D) for f = 0..M, natural order, M + 1 complex values
// per row (the layout fused-conv and fused-inverse read). The transform size M = BUF.
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> tw: array<vec2<f32>>;
@group(0) @binding(2) var<storage, read> x: array<f32>;                // [rows] of chunk_len
@group(0) @binding(3) var<storage, read> d_skip: array<f32>;           // [H] (FLAG_ADD_D)
@group(0) @binding(4) var<storage, read_write> spec: array<vec2<f32>>; // [rows, M + 1]

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let r = linear_workgroup(wid, nwg);
  if (r >= p.rows) { return; }
  let row = row_span(r);
  let log_m = LOG_N - 1u;
  load_packed_row(lid, row);
  fft_forward(lid);
  var d = vec2<f32>(0.0);
  if (has_flag(FLAG_ADD_D)) { d.x = d_skip[row.h]; }
  let out = r * (BUF + 1u);
  for (var t = lid; t <= BUF / 2u; t += WG) {
    let xs = rfft_pair(buf[bitrev(t, log_m)], buf[bitrev((BUF - t) & (BUF - 1u), log_m)], tw[t]);
    spec[out + BUF - t] = p.scale * (xs.g + d);
    spec[out + t] = p.scale * (xs.f + d);
  }
}
