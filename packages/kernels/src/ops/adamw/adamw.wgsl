// One AdamW step, one invocation per parameter (see adamw.ref.ts). Everything that depends only on the
// hyperparameters (1 − lr·wd, 1 − β, the bias corrections 1 − β^step) arrives precomputed in float64.
override WG: u32 = 256u;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> param: array<f32>; // [n]
@group(0) @binding(2) var<storage, read> grad: array<f32>; // [n]
@group(0) @binding(3) var<storage, read_write> m: array<f32>; // [n]
@group(0) @binding(4) var<storage, read_write> v: array<f32>; // [n]

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= p.n) { return; }
  let g = p.gradScale * grad[i];
  let mi = p.beta1 * m[i] + p.oneMinusBeta1 * g;
  let vi = p.beta2 * v[i] + p.oneMinusBeta2 * g * g;
  m[i] = mi;
  v[i] = vi;
  param[i] = param[i] * p.decay - (p.lr * (mi / p.bc1)) / (sqrt(vi / p.bc2) + p.eps);
}
