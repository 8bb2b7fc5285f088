// One token of the shift SSM (see shift-step.ref.ts), fused, the 'segmented' layout (step-layout.ts): NP invocations per row (b, c), one per tap j,
// each reads the history value that moves into its slot (s[j−1], or the new input for j = 0), waits until the
// whole row has read (storageBarrier: the row lies in this workgroup), writes it, and the row's output
// Σ_j kernel[j]·s[j] + D·k is a segment sum in workgroup memory (segment-sum.wgsl).
override WG: u32 = 256u;
override NP: u32 = 64u; // a power of two ≥ N

// bindings (p, k, kernel, D, state, y): shift-step-io.wgsl, prepended

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let row = (wid.x + wid.y * nwg.x) * (WG / NP) + lid / NP; // b·d + c
  let j = lid % NP;
  let c = row % p.channels;
  let inRow = row < p.rows && j < p.stateSize;
  var kt = 0.0;
  if (row < p.rows) { kt = k[row]; }
  var v = kt;
  if (inRow && j > 0u) { v = state[row * p.stateSize + j - 1u]; }
  storageBarrier(); // every read of this row's old history happens before any write below
  var term = 0.0;
  if (inRow) {
    state[row * p.stateSize + j] = v;
    term = kernel[c * p.stateSize + j] * v;
  }
  let total = segment_sum(term, lid);
  if (row < p.rows && j == 0u) { y[row] = total + D[c] * kt; }
}
