// The diagonal SSM's state after a prompt (see diag-step.ref.ts): one invocation per (b, h, n) runs the
// recurrence s ← Ā·s + z_j over the prompt. In f32 each step adds at most ~4.3 ulp of |Ā||s| + |z|, and Ā
// damps older errors, so the final error is ≤ 5u·Σ_j |Ā|^(L−1−j)·(|Ā||s_{j−1}| + |z_j|) ≤ 5u·L·max(|s|, |z|).
override WG: u32 = 64u;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> z: array<f32>;               // [B, H, L]
@group(0) @binding(2) var<storage, read> A: array<vec2<f32>>;         // [H, N2] (re, im)
@group(0) @binding(3) var<storage, read_write> state: array<vec2<f32>>; // [B, H, N2] (re, im)

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG; // (b·H + h)·N2 + n
  if (i >= p.rows * p.modes) { return; }
  let row = i / p.modes;
  let a = A[(row % p.channels) * p.modes + i % p.modes];
  let zo = row * p.length;
  var s = vec2<f32>(0.0, 0.0);
  for (var j = 0u; j < p.length; j++) {
    s = vec2<f32>(a.x * s.x - a.y * s.y + z[zo + j], a.x * s.y + a.y * s.x);
  }
  state[i] = s;
}
