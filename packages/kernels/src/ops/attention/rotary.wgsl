// Rotary embedding, GPT-NeoX halves (see rotary.ref.ts), one invocation per element of x [B, L, H, hd]. The
// cos/sin table [L, rotaryDim/2] comes from the host in float64 rounded once, so no large-angle sin/cos runs
// here (WGSL only bounds their error on [−π, π]). sign = −1 rotates by −θ: the backward.
override WG: u32 = 64u;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;           // [B, L, H, hd]
@group(0) @binding(2) var<storage, read> cossin: array<vec2<f32>>; // [L, rotaryDim/2] of (cos θ, sin θ)
@group(0) @binding(3) var<storage, read_write> out: array<f32>;   // [B, L, H, hd]

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let e = (wid.x + wid.y * nwg.x) * WG + lid;
  if (e >= p.n) { return; }
  let d = e % p.headDim;
  let hr = p.rotaryDim / 2u;
  if (d >= p.rotaryDim) { out[e] = x[e]; return; }
  let t = (e / p.headDim / p.heads) % p.length;
  let i = select(d - hr, d, d < hr);
  let cs = cossin[t * hr + i];
  let s = p.sign * cs.y;
  if (d < hr) {
    out[e] = x[e] * cs.x - x[e + hr] * s;
  } else {
    out[e] = x[e] * cs.x + x[e - hr] * s;
  }
}
