// Naive baseline: c[bitrev(f)] = a[row, f]·k[h, f] (k conjugated with p.inverse set), ready for the inverse
// stages; h = row % channels.
override WG: u32 = 256u;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> a: array<vec2<f32>>;        // [rows, n]
@group(0) @binding(2) var<storage, read> k: array<vec2<f32>>;        // [channels, n]
@group(0) @binding(3) var<storage, read_write> c: array<vec2<f32>>;  // [rows, n]

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= p.rows * p.n) { return; }
  let row = i / p.n;
  let f = i - row * p.n;
  let x = a[i];
  var y = k[(row % p.channels) * p.n + f];
  if (p.inverse != 0u) { y.y = -y.y; }
  c[row * p.n + (reverseBits(f) >> (32u - p.log_n))] = vec2<f32>(x.x * y.x - x.y * y.y, x.x * y.y + x.y * y.x);
}
