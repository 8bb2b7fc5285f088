// cache[b, h, positions[b], :] = x[b, h, :], in place (see decode.ref.ts): one invocation per element of x.
// Positions outside [0, maxLength) are refused on the host; here they write nothing rather than out of bounds.
override WG: u32 = 64u;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;             // [B, H, HD]
@group(0) @binding(2) var<storage, read> positions: array<i32>;     // [B]
@group(0) @binding(3) var<storage, read_write> cache: array<f32>;   // [B, H, maxLength, HD]

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let e = (wid.x + wid.y * nwg.x) * WG + lid;
  if (e >= p.batch * p.heads * p.headDim) { return; }
  let row = e / p.headDim; // b·H + h
  let pos = positions[row / p.heads];
  if (pos < 0 || u32(pos) >= p.maxLength) { return; }
  cache[(row * p.maxLength + u32(pos)) * p.headDim + e % p.headDim] = x[e];
}
