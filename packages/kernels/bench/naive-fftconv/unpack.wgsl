// Naive baseline: out[row, t] = Re a[row, t] / N + D[h]·x[row, t] for t < len (D term only when p.skip = 1).
override WG: u32 = 256u;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> a: array<vec2<f32>>;   // [rows, n]
@group(0) @binding(2) var<storage, read> x: array<f32>;         // [rows, len]
@group(0) @binding(3) var<storage, read> d: array<f32>;         // [channels]
@group(0) @binding(4) var<storage, read_write> out: array<f32>; // [rows, len]

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= p.rows * p.len) { return; }
  let row = i / p.len;
  let t = i - row * p.len;
  var v = a[row * p.n + t].x / f32(p.n);
  if (p.skip != 0u) { v += d[row % p.channels] * x[i]; }
  out[i] = v;
}
