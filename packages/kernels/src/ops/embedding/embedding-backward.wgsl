// Deterministic scatter-add without atomics: invocation (c, d) owns column d of rows [c·R, c·R + R) and scans all tokens in order.
// Each output has one writer and the reference's summation order (bit-identical results); neighbouring
// invocations share c, so ids[i] is a broadcast load and dy/dweight accesses are contiguous.
override WG: u32 = 256u;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> dy: array<f32>; // [n, dim]
@group(0) @binding(2) var<storage, read> ids: array<i32>; // [n]
@group(0) @binding(3) var<storage, read_write> dweight: array<f32>; // [vocab, dim]

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let k = gid.x + gid.y * nwg.x * WG;
  if (k >= p.size) { return; }
  let c = k / p.dim;
  let d = k - c * p.dim;
  let lo = c * p.rowsPerChunk;
  let hi = min(lo + p.rowsPerChunk, p.vocab);
  for (var v = lo; v < hi; v++) {
    dweight[v * p.dim + d] = 0.0;
  }
  for (var i = 0u; i < p.n; i++) {
    // a negative id becomes huge as u32 and falls outside every chunk
    let v = u32(ids[i]);
    if (v >= lo && v < hi) {
      dweight[v * p.dim + d] += dy[i * p.dim + d];
    }
  }
}
