// Causal attention forward, flash-style (see attention.ref.ts): one workgroup per (batch·head, tile of BR
// queries), one invocation per query row. The keys and values up to the tile's last query are staged in
// workgroup memory BC at a time; each row keeps a running max m, sum l and unnormalised output acc (the
// online softmax), rescaled by exp(m_old − m_new) when a tile raises the max. The L×L scores never exist.
// Rows are held as vec4s (hd padded with zeros to H4·4): 2.4× faster than scalars on lavapipe at hd = 64.
override BR: u32 = 32u; // queries per workgroup = invocations
override BC: u32 = 32u; // keys per staged tile (≤ MAX_BC)
override HD: u32 = 64u; // head dim (≤ 128)
const H4_MAX: u32 = 32u;
const MAX_BC: u32 = 64u;
const LOWEST: f32 = -3.4028234663852886e38; // exp(LOWEST − m) = 0: the first tile sets the max

// p, q, k, v: attention-inputs.wgsl; ks, vs, stage_kv: stage-kv.wgsl
@group(0) @binding(4) var<storage, read_write> out: array<f32>;  // [BH, L, HD]
@group(0) @binding(5) var<storage, read_write> lse: array<f32>;  // [BH, L]

@compute @workgroup_size(BR)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let tile = wid.x + wid.y * nwg.x;
  if (tile >= p.bh * p.tiles) { return; } // uniform per workgroup, so the barriers below stay in uniform control flow
  let H4 = (HD + 3u) / 4u;
  let base = (tile / p.tiles) * p.length * HD;
  let q0 = (tile % p.tiles) * BR;
  let i = q0 + lid;
  let inside = i < p.length;
  var qr: array<vec4<f32>, H4_MAX>;  // q_i · scale, so a score is one dot product
  var acc: array<vec4<f32>, H4_MAX>; // Σ_j exp(s_j − m)·v_j
  var s: array<f32, MAX_BC>;         // this tile's scores
  if (inside) {
    for (var c = 0u; c < 4u * H4; c++) { qr[c / 4u][c % 4u] = select(0.0, q[base + i * HD + min(c, HD - 1u)], c < HD) * p.scale; }
  }
  var m = LOWEST;
  var l = 0.0;
  let keys = min(q0 + BR, p.length); // causal: no query of this tile looks past its last row
  for (var k0 = 0u; k0 < keys; k0 += BC) {
    let n = min(BC, p.length - k0);
    workgroupBarrier(); // the previous tile has been consumed
    stage_kv(base, k0, n, lid);
    workgroupBarrier();
    if (inside && k0 <= i) {
      let jn = min(n, i - k0 + 1u); // keys j ≤ i in this tile
      var mt = m;
      for (var j = 0u; j < jn; j++) {
        var sc = 0.0;
        for (var d = 0u; d < H4; d++) { sc += dot(qr[d], ks[j * H4 + d]); }
        s[j] = sc;
        mt = max(mt, sc);
      }
      let corr = exp(m - mt);
      l *= corr;
      for (var d = 0u; d < H4; d++) { acc[d] *= corr; }
      for (var j = 0u; j < jn; j++) {
        let e = exp(s[j] - mt);
        l += e;
        for (var d = 0u; d < H4; d++) { acc[d] += e * vs[j * H4 + d]; }
      }
      m = mt;
    }
  }
  if (inside) {
    let inv = 1.0 / l;
    for (var c = 0u; c < HD; c++) { out[base + i * HD + c] = acc[c / 4u][c % 4u] * inv; }
    lse[base / HD + i] = m + log(l);
  }
}
