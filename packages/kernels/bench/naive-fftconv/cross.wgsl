// Naive baseline: s[h, bitrev(f)] = Σ_b dy[b·H + h, f]·conj(u[b·H + h, f]), the kernel gradient's spectrum.
override WG: u32 = 256u;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> a: array<vec2<f32>>;        // [B·H, n]
@group(0) @binding(2) var<storage, read> b: array<vec2<f32>>;        // [B·H, n]
@group(0) @binding(3) var<storage, read_write> s: array<vec2<f32>>;  // [H, n]

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= p.channels * p.n) { return; }
  let h = i / p.n;
  let f = i - h * p.n;
  var acc = vec2<f32>(0.0);
  for (var bb = 0u; bb < p.batch; bb++) {
    let x = a[(bb * p.channels + h) * p.n + f];
    let y = b[(bb * p.channels + h) * p.n + f];
    acc += vec2<f32>(x.x * y.x + x.y * y.y, x.y * y.x - x.x * y.y);
  }
  s[h * p.n + (reverseBits(f) >> (32u - p.log_n))] = acc;
}
