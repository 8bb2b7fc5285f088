// The kernel gradient's spectrum: out[h, i] = scale·Σ_b a[b·H + h, i]·conj(b_[b·H + h, i]), i ≤ M (any layout
// shared by a and b_), one invocation per (h, i).
override WG: u32 = 256u;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> a: array<vec2<f32>>;             // [B·H, width]
@group(0) @binding(2) var<storage, read> b_: array<vec2<f32>>;            // [B·H, width]
@group(0) @binding(3) var<storage, read_write> out: array<vec2<f32>>;     // [H, width]

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let width = p.length;
  let i = (wid.x + wid.y * nwg.x) * WG + lid;
  if (i >= p.channels * width) { return; }
  let h = i / width;
  let c = i - h * width;
  var acc = vec2<f32>(0.0);
  for (var b = 0u; b < p.batch; b++) {
    let j = (b * p.channels + h) * width + c;
    let x = a[j];
    let y = b_[j];
    acc += vec2<f32>(x.x * y.x + x.y * y.y, x.y * y.x - x.x * y.y); // x·ȳ
  }
  out[i] = p.scale * acc;
}
