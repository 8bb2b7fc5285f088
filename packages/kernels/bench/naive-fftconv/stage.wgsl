// Naive baseline: one radix-2 decimation-in-time stage (half-span p.half) over every row, one invocation per
// butterfly, twiddles from the float64-computed table (conjugated for the inverse).
override WG: u32 = 256u;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> tw: array<vec2<f32>>;       // W_N^t, t < N/2
@group(0) @binding(2) var<storage, read_write> a: array<vec2<f32>>;  // [rows, n]

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  let per_row = p.n / 2u;
  if (i >= p.rows * per_row) { return; }
  let row = i / per_row;
  let k = i - row * per_row;
  let j = k % p.half;
  let lo = row * p.n + (k / p.half) * 2u * p.half + j;
  var w = tw[j * (p.n / (2u * p.half))];
  if (p.inverse != 0u) { w.y = -w.y; }
  let x = a[lo];
  let y = a[lo + p.half];
  let wy = vec2<f32>(w.x * y.x - w.y * y.y, w.x * y.y + w.y * y.x);
  a[lo] = x + wy;
  a[lo + p.half] = x - wy;
}
