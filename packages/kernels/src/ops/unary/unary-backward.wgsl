// Elementwise unary backward op, dx = dy · f'(x), with y = f(x) used where it is cheaper; OP as in unary.wgsl.
override OP: u32 = 0u; // 0 neg, 1 exp, 2 log, 3 sqrt, 4 square, 5 relu, 6 gelu, 7 tanh, 8 sigmoid, 9 scale, 10 addScalar, 11 dropout
override WG: u32 = 256u;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> y: array<f32>;
@group(0) @binding(3) var<storage, read> dy: array<f32>;
@group(0) @binding(4) var<storage, read_write> dx: array<f32>;

const GELU_C: f32 = 0.7978845608028654; // √(2/π)
const GELU_K: f32 = 0.044715;

// sigmoid(z) and sigmoid'(z) = s(1−s) = e/(1+e)² with e = exp(−|z|): both free of overflow and cancellation
fn sigmoid_and_slope(z: f32) -> vec2<f32> {
  let e = exp(-abs(z));
  let s = 1.0 / (1.0 + e);
  return vec2<f32>(select(e * s, s, z >= 0.0), e * s * s);
}

// Same bits as hashU32 in src/util/rng.ts (u32 arithmetic wraps like Math.imul).
fn hash_u32(seed: u32, index: u32) -> u32 {
  var h = (index * 0x9e3779b9u) ^ seed;
  h = h * 747796405u + 2891336453u;
  let word = ((h >> ((h >> 28u) + 4u)) ^ h) * 277803737u;
  return (word >> 22u) ^ word;
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= p.n) { return; }
  let g = dy[i];
  var r: f32;
  switch OP {
    case 0u: { r = -g; }
    case 1u: { r = g * y[i]; }
    case 2u: { r = g / x[i]; }
    case 3u: { r = 0.5 * g / y[i]; }
    case 4u: { r = 2.0 * x[i] * g; }
    case 5u: { r = select(0.0, g, x[i] > 0.0); }
    case 6u: {
      // gelu = x·sigmoid(2u): gelu' = sigmoid(2u) + x·sigmoid'(2u)·2u'
      let v = x[i];
      let s = sigmoid_and_slope(2.0 * GELU_C * (v + GELU_K * v * v * v));
      let du = GELU_C * (1.0 + 3.0 * GELU_K * v * v);
      r = g * (s.x + 2.0 * v * s.y * du);
    }
    // (1−y)(1+y) rather than 1−y²: no cancellation when |y| is near 1
    case 7u: { let t = y[i]; r = g * (1.0 - t) * (1.0 + t); }
    case 8u: { let s = y[i]; r = g * s * (1.0 - s); }
    case 9u: { r = p.alpha * g; }
    case 10u: { r = g; }
    default: { r = select(0.0, g * p.keepScale, hash_u32(p.seed, i) >= p.keepFrom); }
  }
  dx[i] = r;
}
