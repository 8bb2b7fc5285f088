// State passing, step 2: the carried state, one invocation per (row b·H + h, mode n) walking its chunks:
// g_c = W_n·s^(c−1) (what chunk c needs, W = C ⊙ B̄ folded in; g_0 = 0), s^(c) = Ā^T·s^(c−1) + z_c.
override WG: u32 = 64u;
override MODES: u32;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> z: array<vec2<f32>>;       // [B·H, chunks, m]
@group(0) @binding(2) var<storage, read> w: array<vec2<f32>>;       // [H, m]
@group(0) @binding(3) var<storage, read> a_t: array<vec2<f32>>;     // [H, m]: Ā^T
@group(0) @binding(4) var<storage, read_write> g: array<vec2<f32>>; // [B·H, chunks, m]

fn cmul2(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  return vec2<f32>(a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x);
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  let bh = i / MODES;
  if (bh >= p.rows) { return; }
  let n = i - bh * MODES;
  let hn = (bh % p.channels) * MODES + n;
  var s = vec2<f32>(0.0);
  for (var c = 0u; c < p.chunks; c++) {
    let at = (bh * p.chunks + c) * MODES + n;
    g[at] = cmul2(w[hn], s);
    s = cmul2(a_t[hn], s) + z[at];
  }
}
