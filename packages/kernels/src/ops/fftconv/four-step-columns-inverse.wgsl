// Four-step pass 3, inverse: each workgroup takes BUF/M1 adjacent columns of tmp [rows, M1, M2], undoes the
// four-step twiddle, runs the inverse column transforms (bit-reversed in, natural out) and unpacks
// y[2n] = Re z[n], y[2n+1] = Im z[n] into rows of out_len values. With FLAG_FIRST, y[row, 0] also goes to first[row].
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> tw: array<vec2<f32>>;
@group(0) @binding(2) var<storage, read> tmp: array<vec2<f32>>;       // [rows, M1, M2]
@group(0) @binding(3) var<storage, read_write> y: array<f32>;         // [rows, out_len]
@group(0) @binding(4) var<storage, read_write> first: array<f32>;     // [rows] (FLAG_FIRST)

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let cols = BUF >> LOG_M1;
  let blocks = (1u << LOG_M2) / cols;
  let idx = linear_workgroup(wid, nwg);
  let r = idx / blocks;
  if (r >= p.rows) { return; }
  let c0 = (idx - r * blocks) * cols;
  let m2 = 1u << LOG_M2;
  let src = r << (LOG_M1 + LOG_M2);
  for (var i = lid; i < BUF; i += WG) {
    let j = i % cols;
    let f1 = i / cols;
    let n2 = c0 + j;
    buf[(j << LOG_M1) + bitrev(f1, LOG_M1)] = cmul(tmp[src + f1 * m2 + n2], conj(four_step_twiddle(n2, f1)));
  }
  workgroupBarrier();
  fft_inverse(lid);
  let out = r * p.out_len;
  for (var i = lid; i < BUF; i += WG) {
    let j = i % cols;
    let n1 = i / cols;
    let n = m2 * n1 + c0 + j;
    let z = buf[(j << LOG_M1) + n1];
    if (2u * n < p.out_len) { y[out + 2u * n] = z.x; }
    if (2u * n + 1u < p.out_len) { y[out + 2u * n + 1u] = z.y; }
    if (n == 0u && has_flag(FLAG_FIRST)) { first[r] = z.x; }
  }
}
