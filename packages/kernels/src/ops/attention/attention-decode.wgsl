// One decoding step of attention over a KV cache (see decode.ref.ts): one workgroup per (batch, head). Each
// invocation runs an online softmax over its share of the first lengths[b] cache entries (keys lid, lid + WG,
// …); the shares are merged with workgroup reductions (common/workgroup-reduce.wgsl): the global max M, the
// sum Σ l_t·exp(m_t − M), and the rescaled partial outputs through workgroup memory.
override WG: u32 = 32u; // a power of two; WG·HD floats of scratch
override HD: u32 = 64u;
const MAX_HD: u32 = 128u;
const LOWEST: f32 = -3.4028234663852886e38;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> q: array<f32>;          // [B, H, HD]
@group(0) @binding(2) var<storage, read> kc: array<f32>;         // [B, H, maxLength, HD]
@group(0) @binding(3) var<storage, read> vc: array<f32>;         // [B, H, maxLength, HD]
@group(0) @binding(4) var<storage, read> lengths: array<i32>;    // [B]
@group(0) @binding(5) var<storage, read_write> out: array<f32>;  // [B, H, HD]

var<workgroup> part: array<f32, WG * HD>; // each invocation's rescaled acc

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let row = wid.x + wid.y * nwg.x; // b·H + h
  if (row >= p.batch * p.heads) { return; } // uniform per workgroup
  let n = u32(clamp(lengths[row / p.heads], 0, i32(p.maxLength)));
  let cache = row * p.maxLength * HD;
  var qr: array<f32, MAX_HD>;
  var acc: array<f32, MAX_HD>;
  for (var d = 0u; d < HD; d++) { qr[d] = q[row * HD + d] * p.scale; acc[d] = 0.0; }
  var m = LOWEST;
  var l = 0.0;
  for (var j = lid; j < n; j += WG) {
    var s = 0.0;
    for (var d = 0u; d < HD; d++) { s += qr[d] * kc[cache + j * HD + d]; }
    if (s > m) { // a new max: rescale what was summed so far
      let corr = exp(m - s);
      l *= corr;
      for (var d = 0u; d < HD; d++) { acc[d] *= corr; }
      m = s;
    }
    let e = exp(s - m);
    l += e;
    for (var d = 0u; d < HD; d++) { acc[d] += e * vc[cache + j * HD + d]; }
  }
  let mx = workgroup_max(m, lid);
  let c = exp(m - mx); // 0 for invocations that saw no key
  let total = workgroup_sum(l * c, lid);
  for (var d = 0u; d < HD; d++) { part[lid * HD + d] = acc[d] * c; }
  workgroupBarrier();
  let inv = 1.0 / total;
  for (var d = lid; d < HD; d += WG) {
    var sum = 0.0;
    for (var t = 0u; t < WG; t++) { sum += part[t * HD + d]; }
    out[row * HD + d] = sum * inv;
  }
}
