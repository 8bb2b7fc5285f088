// Causal attention backward, first pass: D_i = dout_i · out_i per query row (= Σ_j P_ij dP_ij), one invocation
// per row, so the dq and dk/dv passes need not recompute it per tile.
override WG: u32 = 64u;
override HD: u32 = 64u;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> dout: array<f32>;        // [BH, L, HD]
@group(0) @binding(2) var<storage, read> out: array<f32>;         // [BH, L, HD]
@group(0) @binding(3) var<storage, read_write> delta: array<f32>; // [BH, L]

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let row = (wid.x + wid.y * nwg.x) * WG + lid;
  if (row >= p.bh * p.length) { return; }
  var acc = 0.0;
  for (var d = 0u; d < HD; d++) { acc += dout[row * HD + d] * out[row * HD + d]; }
  delta[row] = acc;
}
