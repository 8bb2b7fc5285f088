// State passing, step 1: each chunk's own contribution to the SSM state, z_n = Σ_{i<T} Ā_n^(T−1−i)·u[cT + i]
// (u zero past its length), one workgroup per chunk row (fft-rows.wgsl with chunks). The power is split as
// Ā^(64q + e) = Ā^(64q)·Ā^e with both factors from float64 tables, so no power is built by repeated f32
// products. The inner sums Z[n, q] = Σ_e Ā_n^e·u[T−1−64q−e] are a small matrix product, computed in 4 × 4
// register tiles (each loaded value is used 4 times); the Q blocks are then summed through workgroup memory.
override WG: u32 = 64u;
override MODES: u32;   // m
override BLOCKS: u32;  // Q = T / 64
override QTILES: u32;  // ⌈Q / 4⌉

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> u: array<f32>;                // [B·H, length]
@group(0) @binding(2) var<storage, read> fine: array<vec2<f32>>;       // [H, 64, m]: Ā^e
@group(0) @binding(3) var<storage, read> coarse: array<vec2<f32>>;     // [H, m, Q + 1]: Ā^(64q)
@group(0) @binding(4) var<storage, read_write> z: array<vec2<f32>>;    // [rows, m]

var<workgroup> part: array<vec2<f32>, MODES * QTILES>;

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let r = linear_workgroup(wid, nwg);
  if (r >= p.rows) { return; }
  let row = row_span(r);
  let ntiles = (MODES + 3u) / 4u;
  for (var task = lid; task < ntiles * QTILES; task += WG) {
    let n0 = (task % ntiles) * 4u;
    let q0 = (task / ntiles) * 4u;
    // explicitly zeroed: a `var` without initializer inside the loop kept the previous task's values on lavapipe
    var acc: array<vec2<f32>, 16>; // [mode i][block j]
    for (var i = 0u; i < 16u; i++) { acc[i] = vec2<f32>(0.0); }
    for (var e = 0u; e < 64u; e++) {
      var f: array<vec2<f32>, 4>;
      var x: array<f32, 4>;
      for (var i = 0u; i < 4u; i++) {
        f[i] = fine[(row.h * 64u + e) * MODES + min(n0 + i, MODES - 1u)];
        let at = p.chunk_len - 1u - 64u * min(q0 + i, BLOCKS - 1u) - e; // u index in the chunk for power 64q + e
        x[i] = select(0.0, u[row.off + min(at, row.len - 1u)], at < row.len && q0 + i < BLOCKS);
      }
      for (var i = 0u; i < 4u; i++) {
        for (var j = 0u; j < 4u; j++) { acc[4u * i + j] += f[i] * x[j]; }
      }
    }
    for (var i = 0u; i < 4u; i++) {
      let n = n0 + i;
      if (n < MODES) {
        var s = vec2<f32>(0.0);
        for (var j = 0u; j < 4u; j++) {
          if (q0 + j < BLOCKS) {
            let c = coarse[(row.h * MODES + n) * (BLOCKS + 1u) + q0 + j];
            let a = acc[4u * i + j];
            s += vec2<f32>(c.x * a.x - c.y * a.y, c.x * a.y + c.y * a.x);
          }
        }
        part[(q0 / 4u) * MODES + n] = s;
      }
    }
  }
  workgroupBarrier();
  for (var n = lid; n < MODES; n += WG) {
    var s = vec2<f32>(0.0);
    for (var t = 0u; t < QTILES; t++) { s += part[t * MODES + n]; }
    z[r * MODES + n] = s;
  }
}
