// Four-step pass 1, forward: each workgroup transforms BUF/M1 adjacent columns of one real row packed as
// z[n] = x[2n] + i·x[2n+1] (zero past the row's length), multiplies by the four-step twiddle and writes
// tmp[row, f1, n2] (rows of tmp contiguous over n2, so the loads and stores run along memory).
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> tw: array<vec2<f32>>;
@group(0) @binding(2) var<storage, read> x: array<f32>;                // [rows, length]
@group(0) @binding(3) var<storage, read_write> tmp: array<vec2<f32>>;  // [rows, M1, M2]

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let cols = BUF >> LOG_M1;              // columns per workgroup
  let blocks = (1u << LOG_M2) / cols;    // workgroups per row
  let idx = linear_workgroup(wid, nwg);
  let r = idx / blocks;
  if (r >= p.rows) { return; }
  let c0 = (idx - r * blocks) * cols;
  let row = row_span(r);
  let m2 = 1u << LOG_M2;
  for (var i = lid; i < BUF; i += WG) {
    let j = i % cols;
    let n1 = i / cols;
    let n = m2 * n1 + c0 + j;
    var z = vec2<f32>(0.0);
    if (2u * n < row.len) { z.x = x[row.off + 2u * n]; }
    if (2u * n + 1u < row.len) { z.y = x[row.off + 2u * n + 1u]; }
    buf[(j << LOG_M1) + n1] = z;
  }
  workgroupBarrier();
  fft_forward(lid);
  let out = r << (LOG_M1 + LOG_M2);
  for (var i = lid; i < BUF; i += WG) {
    let j = i % cols;
    let f1 = i / cols;
    let n2 = c0 + j;
    tmp[out + f1 * m2 + n2] = cmul(buf[(j << LOG_M1) + bitrev(f1, LOG_M1)], four_step_twiddle(n2, f1));
  }
}
