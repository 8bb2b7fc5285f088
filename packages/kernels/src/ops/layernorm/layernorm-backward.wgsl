// Layer norm dx, one workgroup per row: with g = dy · weight and x̂ = (x − mean) · rstd,
// dx = rstd · (g − mean(g) − x̂ · mean(g · x̂)); both row sums come from one vec2 workgroup tree
// (common/workgroup-reduce.wgsl).
override WG: u32 = 256u; // a power of two, for the tree reduction

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> dy: array<f32>;      // [rows, dim]
@group(0) @binding(2) var<storage, read> x: array<f32>;       // [rows, dim]
@group(0) @binding(3) var<storage, read> weight: array<f32>;  // [dim]
@group(0) @binding(4) var<storage, read> mean: array<f32>;    // [rows]
@group(0) @binding(5) var<storage, read> rstd: array<f32>;    // [rows]
@group(0) @binding(6) var<storage, read_write> dx: array<f32>; // [rows, dim]

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let row = wid.x + wid.y * nwg.x;
  if (row >= p.rows) { return; } // uniform per workgroup, so the barriers below stay in uniform control flow
  let o = row * p.dim;
  let m = mean[row];
  let rs = rstd[row];
  var acc = vec2<f32>(0.0);
  for (var i = lid; i < p.dim; i += WG) {
    let g = dy[o + i] * weight[i];
    acc += vec2<f32>(g, g * (x[o + i] - m) * rs);
  }
  let means = workgroup_sum2(acc, lid) / f32(p.dim); // (mean(g), mean(g · x̂))
  for (var i = lid; i < p.dim; i += WG) {
    let xh = (x[o + i] - m) * rs;
    dx[o + i] = rs * (dy[o + i] * weight[i] - means.x - xh * means.y);
  }
}
