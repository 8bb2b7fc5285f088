// Reduction over the middle axis of x [outer, n, inner] → out [outer, inner] for inner > 1: one invocation per
// output looping over n; neighbouring invocations read neighbouring k, so each step's reads are coalesced.
override OP: u32 = 0u; // 0 sum, 1 mean, 2 max
override WG: u32 = 256u;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= p.outer * p.inner) { return; }
  let o = i / p.inner;
  var at = o * p.n * p.inner + (i - o * p.inner);
  var acc = select(0.0, x[at], OP == 2u);
  for (var j = 0u; j < p.n; j++) {
    let v = x[at];
    acc = select(acc + v, max(acc, v), OP == 2u);
    at += p.inner;
  }
  out[i] = select(acc, acc / f32(p.n), OP == 1u);
}
