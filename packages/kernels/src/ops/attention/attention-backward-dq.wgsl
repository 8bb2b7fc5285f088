// Causal attention backward, dq pass (FlashAttention-2 style, no atomics): one workgroup per (batch·head,
// tile of BR queries), one invocation per query row; keys and values up to the diagonal are staged BC at a
// time. P_ij = exp(scale·q_i·k_j − lse_i) is rebuilt from the forward's lse, dS_ij = P_ij (dout_i·v_j − D_i),
// and dq_i = scale Σ_j dS_ij k_j. Rows as zero-padded vec4s, as in the forward.
override BR: u32 = 32u;
override BC: u32 = 32u;
override HD: u32 = 64u;
const H4_MAX: u32 = 32u;

// p, q, k, v, dout, lse, delta: attention-inputs.wgsl, attention-backward-inputs.wgsl; ks, vs, stage_kv: stage-kv.wgsl
@group(0) @binding(7) var<storage, read_write> dq: array<f32>;  // [BH, L, HD]

@compute @workgroup_size(BR)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let tile = wid.x + wid.y * nwg.x;
  if (tile >= p.bh * p.tiles) { return; } // uniform per workgroup
  let H4 = (HD + 3u) / 4u;
  let base = (tile / p.tiles) * p.length * HD;
  let q0 = (tile % p.tiles) * BR;
  let i = q0 + lid;
  let inside = i < p.length;
  var qr: array<vec4<f32>, H4_MAX>;  // q_i · scale
  var dor: array<vec4<f32>, H4_MAX>; // dout_i
  var acc: array<vec4<f32>, H4_MAX>; // Σ_j dS_ij k_j
  var li = 0.0;
  var di = 0.0;
  if (inside) {
    for (var c = 0u; c < 4u * H4; c++) {
      let at = base + i * HD + min(c, HD - 1u);
      qr[c / 4u][c % 4u] = select(0.0, q[at], c < HD) * p.scale;
      dor[c / 4u][c % 4u] = select(0.0, dout[at], c < HD);
    }
    li = lse[base / HD + i];
    di = delta[base / HD + i];
  }
  let keys = min(q0 + BR, p.length);
  for (var k0 = 0u; k0 < keys; k0 += BC) {
    let n = min(BC, p.length - k0);
    workgroupBarrier();
    stage_kv(base, k0, n, lid);
    workgroupBarrier();
    if (inside && k0 <= i) {
      let jn = min(n, i - k0 + 1u);
      for (var j = 0u; j < jn; j++) {
        var s = 0.0;
        var dp = 0.0;
        for (var d = 0u; d < H4; d++) {
          s += dot(qr[d], ks[j * H4 + d]);
          dp += dot(dor[d], vs[j * H4 + d]);
        }
        let ds = exp(s - li) * (dp - di);
        for (var d = 0u; d < H4; d++) { acc[d] += ds * ks[j * H4 + d]; }
      }
    }
  }
  if (inside) {
    for (var c = 0u; c < HD; c++) { dq[base + i * HD + c] = acc[c / 4u][c % 4u] * p.scale; }
  }
}
