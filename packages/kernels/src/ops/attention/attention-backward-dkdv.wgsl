// Causal attention backward, dk/dv pass (no atomics): one workgroup per (batch·head, tile of BR keys), one
// invocation per key row j; the queries i ≥ (first key of the tile) are staged BC at a time with their dout,
// lse and D. With P_ij = exp(scale·q_i·k_j − lse_i): dv_j = Σ_{i ≥ j} P_ij dout_i and
// dk_j = scale Σ_{i ≥ j} P_ij (dout_i·v_j − D_i) q_i. Rows as zero-padded vec4s, as in the forward.
override BR: u32 = 32u;
override BC: u32 = 32u;
override HD: u32 = 64u;
const H4_MAX: u32 = 32u;

// p, q, k, v, dout, lse, delta: attention-inputs.wgsl, attention-backward-inputs.wgsl
@group(0) @binding(7) var<storage, read_write> dk: array<f32>;  // [BH, L, HD]
@group(0) @binding(8) var<storage, read_write> dv: array<f32>;  // [BH, L, HD]

var<workgroup> qs: array<vec4<f32>, BC * ((HD + 3u) / 4u)>;  // q_i · scale
var<workgroup> dos: array<vec4<f32>, BC * ((HD + 3u) / 4u)>; // dout_i
var<workgroup> ls: array<f32, BC>;
var<workgroup> ds: array<f32, BC>;

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
  let rows = base / HD;
  let j0 = (tile % p.tiles) * BR;
  let j = j0 + lid;
  let inside = j < p.length;
  var kr: array<vec4<f32>, H4_MAX>;
  var vr: array<vec4<f32>, H4_MAX>;
  var gk: array<vec4<f32>, H4_MAX>;
  var gv: array<vec4<f32>, H4_MAX>;
  if (inside) {
    for (var c = 0u; c < 4u * H4; c++) {
      let at = base + j * HD + min(c, HD - 1u);
      kr[c / 4u][c % 4u] = select(0.0, k[at], c < HD);
      vr[c / 4u][c % 4u] = select(0.0, v[at], c < HD);
    }
  }
  for (var i0 = j0; i0 < p.length; i0 += BC) { // causal: queries before the tile's first key see none of it
    let n = min(BC, p.length - i0);
    workgroupBarrier();
    for (var e = lid; e < n * 4u * H4; e += BR) {
      let r = e / (4u * H4);
      let c = e % (4u * H4);
      let at = base + (i0 + r) * HD + min(c, HD - 1u);
      qs[r * H4 + c / 4u][c % 4u] = select(0.0, q[at], c < HD) * p.scale;
      dos[r * H4 + c / 4u][c % 4u] = select(0.0, dout[at], c < HD);
    }
    for (var e = lid; e < n; e += BR) {
      ls[e] = lse[rows + i0 + e];
      ds[e] = delta[rows + i0 + e];
    }
    workgroupBarrier();
    if (inside) {
      // queries i ≥ j of this tile
      for (var r = select(0u, j - i0, j > i0); r < n; r++) {
        var s = 0.0;
        var dp = 0.0;
        for (var d = 0u; d < H4; d++) {
          s += dot(qs[r * H4 + d], kr[d]);
          dp += dot(dos[r * H4 + d], vr[d]);
        }
        let pr = exp(s - ls[r]);
        let dsr = pr * (dp - ds[r]);
        for (var d = 0u; d < H4; d++) {
          gv[d] += pr * dos[r * H4 + d];
          gk[d] += dsr * qs[r * H4 + d]; // qs holds q·scale: the scale of dk comes with it
        }
      }
    }
  }
  if (inside) {
    for (var c = 0u; c < HD; c++) {
      dk[base + j * HD + c] = gk[c / 4u][c % 4u];
      dv[base + j * HD + c] = gv[c / 4u][c % 4u];
    }
  }
}
