// Math shared by unary.wgsl and unary-backward.wgsl (a KernelSpec library): the GELU constants, an
// overflow-free sigmoid, and the dropout hash.

const GELU_C: f32 = 0.7978845608028654; // √(2/π)
const GELU_K: f32 = 0.044715;

// sigmoid(z) and sigmoid'(z) = s(1−s) = e/(1+e)² with e = exp(−|z|): both free of overflow and cancellation
fn sigmoid_and_slope(z: f32) -> vec2<f32> {
  let e = exp(-abs(z));
  let s = 1.0 / (1.0 + e);
  return vec2<f32>(select(e * s, s, z >= 0.0), e * s * s);
}

fn sigmoid(z: f32) -> f32 {
  return sigmoid_and_slope(z).x;
}

// Same bits as hashU32 in src/util/rng.ts (u32 arithmetic wraps like Math.imul).
fn hash_u32(seed: u32, index: u32) -> u32 {
  var h = (index * 0x9e3779b9u) ^ seed;
  h = h * 747796405u + 2891336453u;
  let word = ((h >> ((h >> 28u) + 4u)) ^ h) * 277803737u;
  return (word >> 22u) ^ word;
}
