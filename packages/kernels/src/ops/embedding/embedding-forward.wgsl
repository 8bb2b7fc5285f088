// out[i, d] = weight[ids[i], d]: one invocation per output element.
override WG: u32 = 256u;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> weight: array<f32>; // [vocab, dim]
@group(0) @binding(2) var<storage, read> ids: array<i32>; // [n]
@group(0) @binding(3) var<storage, read_write> out: array<f32>; // [n, dim]

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let k = gid.x + gid.y * nwg.x * WG;
  if (k >= p.size) { return; }
  let i = k / p.dim;
  let d = k - i * p.dim;
  out[k] = weight[u32(ids[i]) * p.dim + d];
}
