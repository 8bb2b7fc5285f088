// Key/value tiles in workgroup memory for the forward and dq passes (a KernelSpec library). Contract: the kernel
// declares `override BR, BC, HD` and binds k, v (attention-inputs.wgsl); rows are zero-padded vec4s (H4 = ⌈HD/4⌉),
// so dot products and updates run four lanes at a time and any head dim works.
var<workgroup> ks: array<vec4<f32>, BC * ((HD + 3u) / 4u)>;
var<workgroup> vs: array<vec4<f32>, BC * ((HD + 3u) / 4u)>;

// Copies keys and values k0 .. k0 + n − 1 of the row block at `base` into ks, vs; all BR invocations call it,
// between barriers.
fn stage_kv(base: u32, k0: u32, n: u32, lid: u32) {
  let H4 = (HD + 3u) / 4u;
  for (var e = lid; e < n * 4u * H4; e += BR) {
    let r = e / (4u * H4);
    let c = e % (4u * H4);
    let at = base + (k0 + r) * HD + min(c, HD - 1u);
    ks[r * H4 + c / 4u][c % 4u] = select(0.0, k[at], c < HD);
    vs[r * H4 + c / 4u][c % 4u] = select(0.0, v[at], c < HD);
  }
}
