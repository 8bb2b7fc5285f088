// Naive baseline: a real row (zero-padded to N) as complex values, stored at bit-reversed positions for the
// in-place radix-2 decimation-in-time stages that follow. One invocation per output point.
override WG: u32 = 256u;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;              // [rows, len]
@group(0) @binding(2) var<storage, read_write> a: array<vec2<f32>>;  // [rows, n]

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= p.rows * p.n) { return; }
  let row = i / p.n;
  let t = i - row * p.n;
  let v = select(0.0, x[row * p.len + min(t, p.len - 1u)], t < p.len);
  a[row * p.n + (reverseBits(t) >> (32u - p.log_n))] = vec2<f32>(v, 0.0);
}
