// Batched matmul out[b] = op(A[b]) · op(B[b]) (+ bias). Each workgroup owns a 64×64 output tile; its 16×16
// invocations each accumulate a 4×4 block in registers while TK-deep slices of A and B are staged in
// workgroup memory (few barriers: they are the expensive part on CPU Vulkan drivers like lavapipe).
// Transposes and bias are override constants, so one source serves every variant; batch is workgroup_id.z.
override TRANS_A: bool = false; // a stored [batch, K, M]
override TRANS_B: bool = false; // b stored [batch, N, K]
override HAS_BIAS: bool = false;
override TK: u32 = 32u;

const TILE = 64u;
const THREADS = 256u;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read> bias: array<f32>; // any buffer when HAS_BIAS is false
@group(0) @binding(4) var<storage, read_write> out: array<f32>;

// both staged [k][row/col], so the inner loop reads 4 neighbouring values of each
var<workgroup> As: array<f32, TK * TILE>;
var<workgroup> Bs: array<f32, TK * TILE>;

@compute @workgroup_size(16, 16)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(local_invocation_id) lid: vec3<u32>,
  @builtin(local_invocation_index) li: u32,
) {
  let batch = wid.z + p.batch0;
  let m0 = wid.y * TILE;
  let n0 = wid.x * TILE;
  let aBase = batch * p.M * p.K;
  let bBase = batch * p.K * p.N;
  let r0 = lid.y * 4u;
  let c0 = lid.x * 4u;
  var acc: array<vec4<f32>, 4>; // acc[i][j] = out[m0 + r0 + i, n0 + c0 + j]

  for (var k0 = 0u; k0 < p.K; k0 += TK) {
    // consecutive invocations walk the contiguous axis of each stored operand; zeros pad the edges
    for (var e = li; e < TK * TILE; e += THREADS) {
      var m: u32;
      var k: u32;
      if (TRANS_A) { m = e % TILE; k = e / TILE; } else { k = e % TK; m = e / TK; }
      var v = 0.0;
      if (m0 + m < p.M && k0 + k < p.K) {
        v = a[aBase + select((m0 + m) * p.K + k0 + k, (k0 + k) * p.M + m0 + m, TRANS_A)];
      }
      As[k * TILE + m] = v;

      var n: u32;
      if (TRANS_B) { k = e % TK; n = e / TK; } else { n = e % TILE; k = e / TILE; }
      var w = 0.0;
      if (n0 + n < p.N && k0 + k < p.K) {
        w = b[bBase + select((k0 + k) * p.N + n0 + n, (n0 + n) * p.K + k0 + k, TRANS_B)];
      }
      Bs[k * TILE + n] = w;
    }
    workgroupBarrier();
    for (var k = 0u; k < TK; k++) {
      let ai = k * TILE + r0;
      let bi = k * TILE + c0;
      let av = vec4(As[ai], As[ai + 1u], As[ai + 2u], As[ai + 3u]);
      let bv = vec4(Bs[bi], Bs[bi + 1u], Bs[bi + 2u], Bs[bi + 3u]);
      acc[0] += av.x * bv;
      acc[1] += av.y * bv;
      acc[2] += av.z * bv;
      acc[3] += av.w * bv;
    }
    workgroupBarrier();
  }

  for (var i = 0u; i < 4u; i++) {
    let m = m0 + r0 + i;
    if (m >= p.M) { break; }
    for (var j = 0u; j < 4u; j++) {
      let n = n0 + c0 + j;
      if (n >= p.N) { break; }
      var v = acc[i][j];
      if (HAS_BIAS) { v += bias[n]; }
      out[(batch * p.M + m) * p.N + n] = v;
    }
  }
}
