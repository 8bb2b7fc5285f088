// Elementwise unary forward op, y = f(x); OP selects f at pipeline creation. tanh, sigmoid and gelu are
// written so that exp only ever sees −|x| (built-in tanh/exp of large |x| give inf/NaN on some drivers).
// sigmoid, GELU_C/GELU_K and hash_u32 come from unary-common.wgsl.
override OP: u32 = 0u; // 0 neg, 1 exp, 2 log, 3 sqrt, 4 square, 5 relu, 6 gelu, 7 tanh, 8 sigmoid, 9 scale, 10 addScalar, 11 dropout
override WG: u32 = 256u;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

// Below |v| = 0.5, 1 − e would cancel, so the Taylor series to v¹⁵ is used there (truncation < 0.2 ulp).
fn tanh_safe(v: f32) -> f32 {
  let a = abs(v);
  if (a < 0.5) {
    let z = v * v;
    var q = -929569.0 / 638512875.0;
    q = q * z + 21844.0 / 6081075.0;
    q = q * z - 1382.0 / 155925.0;
    q = q * z + 62.0 / 2835.0;
    q = q * z - 17.0 / 315.0;
    q = q * z + 2.0 / 15.0;
    q = q * z - 1.0 / 3.0;
    return v + v * z * q;
  }
  let e = exp(-2.0 * a);
  return sign(v) * (1.0 - e) / (1.0 + e);
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= p.n) { return; }
  let v = x[i];
  var r: f32;
  switch OP {
    case 0u: { r = -v; }
    case 1u: { r = exp(v); }
    case 2u: { r = log(v); }
    case 3u: { r = sqrt(v); }
    case 4u: { r = v * v; }
    case 5u: { r = max(v, 0.0); }
    // 0.5·(1 + tanh(u)) = sigmoid(2u): no cancellation for negative x
    case 6u: { r = v * sigmoid(2.0 * GELU_C * (v + GELU_K * v * v * v)); }
    case 7u: { r = tanh_safe(v); }
    case 8u: { r = sigmoid(v); }
    case 9u: { r = p.alpha * v; }
    case 10u: { r = v + p.alpha; }
    // keep iff hash / 2^32 ≥ p, i.e. hash ≥ ceil(p·2^32) = keepFrom (computed exactly in float64 on the host)
    default: { r = select(0.0, v * p.keepScale, hash_u32(p.seed, i) >= p.keepFrom); }
  }
  out[i] = r;
}
