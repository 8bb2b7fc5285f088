// Elementwise unary backward op, dx = dy · f'(x), with y = f(x) used where it is cheaper; OP as in unary.wgsl.
// sigmoid_and_slope, GELU_C/GELU_K and hash_u32 come from unary-common.wgsl.
override OP: u32 = 0u; // 0 neg, 1 exp, 2 log, 3 sqrt, 4 square, 5 relu, 6 gelu, 7 tanh, 8 sigmoid, 9 scale, 10 addScalar, 11 dropout
override WG: u32 = 256u;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> y: array<f32>;
@group(0) @binding(3) var<storage, read> dy: array<f32>;
@group(0) @binding(4) var<storage, read_write> dx: array<f32>;

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
