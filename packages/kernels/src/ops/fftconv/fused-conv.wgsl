// The fused FFT convolution, one workgroup per row: load the row packed as M complex points → forward FFT →
// per pair (f, M−f): split into the real spectrum, multiply by the kernel spectrum K'[h] (conjugated with
// FLAG_CONJ: the correlation of the backward pass), merge back → inverse FFT → store. All in workgroup memory.
// With FLAG_EMIT the row's own spectrum also goes to `emit` (the backward pass reuses rfft(dy) for dk).
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> tw: array<vec2<f32>>;
@group(0) @binding(2) var<storage, read> x: array<f32>;               // rows as in fft-rows.wgsl
@group(0) @binding(3) var<storage, read> spec: array<vec2<f32>>;      // [H, M + 1], scaled by 1/M, D folded in
@group(0) @binding(4) var<storage, read_write> y: array<f32>;         // like x
@group(0) @binding(5) var<storage, read_write> emit: array<vec2<f32>>; // [rows, M + 1] (FLAG_EMIT)

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
  let ko = row.h * (BUF + 1u);
  let conj_k = has_flag(FLAG_CONJ);
  let emitting = has_flag(FLAG_EMIT);
  for (var t = lid; t <= BUF / 2u; t += WG) {
    let pf = bitrev(t, log_m);
    let pg = bitrev((BUF - t) & (BUF - 1u), log_m);
    let w = tw[t];
    let xs = rfft_pair(buf[pf], buf[pg], w);
    if (emitting) {
      emit[r * (BUF + 1u) + BUF - t] = xs.g;
      emit[r * (BUF + 1u) + t] = xs.f;
    }
    var kf = spec[ko + t];
    var kg = spec[ko + BUF - t];
    if (conj_k) {
      kf = conj(kf);
      kg = conj(kg);
    }
    let zs = irfft_pair(cmul(xs.f, kf), cmul(xs.g, kg), w);
    buf[pg] = zs.g; // for t = 0 both land on position 0, where Z'[0] must win
    buf[pf] = zs.f;
  }
  workgroupBarrier();
  fft_inverse(lid);
  for (var n = lid; n < BUF; n += WG) {
    let z = buf[n];
    if (2u * n < row.len) { y[row.off + 2u * n] = z.x; }
    if (2u * n + 1u < row.len) { y[row.off + 2u * n + 1u] = z.y; }
  }
}
