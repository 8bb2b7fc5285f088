// Layer norm dweight = Σ_rows dy · x̂ and dbias = Σ_rows dy without atomics: a workgroup owns COLS adjacent
// columns (coalesced loads), its ROWS lanes per column take every ROWS-th row, and a fixed-order tree over
// the lanes makes the sums deterministic. Each output is written by exactly one invocation.
override COLS: u32 = 32u;
override ROWS: u32 = 8u; // a power of two, for the tree reduction

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> dy: array<f32>;           // [rows, dim]
@group(0) @binding(2) var<storage, read> x: array<f32>;            // [rows, dim]
@group(0) @binding(3) var<storage, read> mean: array<f32>;         // [rows]
@group(0) @binding(4) var<storage, read> rstd: array<f32>;         // [rows]
@group(0) @binding(5) var<storage, read_write> dweight: array<f32>; // [dim]
@group(0) @binding(6) var<storage, read_write> dbias: array<f32>;   // [dim]

var<workgroup> red: array<vec2<f32>, COLS * ROWS>;

@compute @workgroup_size(COLS, ROWS)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_id) lid: vec3<u32>,
) {
  let col = (wid.x + wid.y * nwg.x) * COLS + lid.x;
  var acc = vec2<f32>(0.0); // (Σ dy · x̂, Σ dy)
  if (col < p.dim) {
    for (var r = lid.y; r < p.rows; r += ROWS) {
      let i = r * p.dim + col;
      acc += vec2<f32>(dy[i] * (x[i] - mean[r]) * rstd[r], dy[i]);
    }
  }
  let k = lid.y * COLS + lid.x;
  red[k] = acc;
  workgroupBarrier();
  for (var s = ROWS / 2u; s > 0u; s >>= 1u) {
    if (lid.y < s) { red[k] += red[k + s * COLS]; }
    workgroupBarrier();
  }
  if (lid.y == 0u && col < p.dim) {
    dweight[col] = red[k].x;
    dbias[col] = red[k].y;
  }
}
