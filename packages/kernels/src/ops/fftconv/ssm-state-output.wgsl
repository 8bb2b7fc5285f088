// State passing, step 4: the carried state's output, y[cT + j] += 2·Re Σ_n g_n·Ā_n^(j+1), one workgroup per
// chunk row (the fused convolution wrote the in-chunk part). With j + 1 = 64q + e this is the small matrix
// product C[q, e] = 2·Re Σ_n (g_n·Ā_n^(64q))·Ā_n^e, computed in 4 × 4 register tiles of (q, e) straight from
// the float64 power tables: no workgroup memory, no barrier.
override WG: u32 = 64u;
override MODES: u32;
override BLOCKS: u32; // Q = T / 64; q runs to Q inclusive

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> g: array<vec2<f32>>;       // [rows, m]
@group(0) @binding(2) var<storage, read> fine: array<vec2<f32>>;    // [H, m, 64]: Ā^e
@group(0) @binding(3) var<storage, read> coarse: array<vec2<f32>>;  // [H, m, Q + 1]: Ā^(64q)
@group(0) @binding(4) var<storage, read_write> y: array<f32>;       // [B·H, length]

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let r = linear_workgroup(wid, nwg);
  // the first chunk of a sequence has no state before it
  if (r >= p.rows || r % p.chunks == 0u) { return; }
  let row = row_span(r);
  let qtiles = (BLOCKS + 4u) / 4u; // q = 0 … Q
  for (var task = lid; task < qtiles * 16u; task += WG) {
    let e0 = (task % 16u) * 4u;
    let q0 = (task / 16u) * 4u;
    // explicitly zeroed: a `var` without initializer inside the loop kept the previous task's values on lavapipe
    var acc: array<f32, 16>; // [block i][power j]
    for (var i = 0u; i < 16u; i++) { acc[i] = 0.0; }
    for (var n = 0u; n < MODES; n++) {
      let gn = g[r * MODES + n];
      let hn = row.h * MODES + n;
      var v: array<vec2<f32>, 4>;
      var f: array<vec2<f32>, 4>;
      for (var i = 0u; i < 4u; i++) {
        let c = coarse[hn * (BLOCKS + 1u) + min(q0 + i, BLOCKS)];
        v[i] = vec2<f32>(gn.x * c.x - gn.y * c.y, gn.x * c.y + gn.y * c.x);
        f[i] = fine[hn * 64u + e0 + i];
      }
      for (var i = 0u; i < 4u; i++) {
        for (var j = 0u; j < 4u; j++) { acc[4u * i + j] += v[i].x * f[j].x - v[i].y * f[j].y; }
      }
    }
    for (var i = 0u; i < 4u; i++) {
      for (var j = 0u; j < 4u; j++) {
        let t = 64u * (q0 + i) + e0 + j; // = j_out + 1
        if (q0 + i <= BLOCKS && t >= 1u && t - 1u < row.len) { y[row.off + t - 1u] += 2.0 * acc[4u * i + j]; }
      }
    }
  }
}
