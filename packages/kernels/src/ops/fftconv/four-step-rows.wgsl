// Four-step pass 2: the row transforms (length M2), with the real-FFT pair formulas in between. A pair (f, M−f)
// always sits in rows f1 and (M1 − f1) mod M1, so each workgroup takes that pair of rows of one signal row
// (segments 0 and 1 of buf). MODE 0 (convolution): forward, × K'[h] (conjugated with FLAG_CONJ), inverse, in
// place in tmp. MODE 1 (forward): forward, then spec = scale·(X + D[h] with FLAG_ADD_D) in spectrum_index
// order. MODE 2 (inverse): spec·K'[h] (FLAG_HAS_K, FLAG_CONJ) or spec·scale, then inverse, into tmp.
override MODE: u32 = 0u;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> tw: array<vec2<f32>>;
@group(0) @binding(2) var<storage, read_write> tmp: array<vec2<f32>>;      // [rows, M1, M2]
@group(0) @binding(3) var<storage, read> kspec: array<vec2<f32>>;          // [H, M + 1] (MODE 0, MODE 2 with FLAG_HAS_K)
@group(0) @binding(4) var<storage, read_write> spec: array<vec2<f32>>;     // [rows, M + 1] (MODE 1 out, MODE 2 in)
@group(0) @binding(5) var<storage, read> d_skip: array<f32>;               // [H] (MODE 1, FLAG_ADD_D)

fn kernel_value(h: u32, f: u32) -> vec2<f32> {
  let k = kspec[h * ((1u << (LOG_M1 + LOG_M2)) + 1u) + spectrum_index(f)];
  return select(k, conj(k), has_flag(FLAG_CONJ));
}

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let m1 = 1u << LOG_M1;
  let m2 = 1u << LOG_M2;
  let m = m1 * m2;
  let per_row = m1 / 2u + 1u;
  let idx = linear_workgroup(wid, nwg);
  let r = idx / per_row;
  if (r >= p.rows) { return; }
  let f1 = idx - r * per_row;
  let f1p = (m1 - f1) & (m1 - 1u);
  let h = r % p.channels;
  let base = r * m;
  let sbase = r * (m + 1u);
  if (MODE != 2u) {
    for (var i = lid; i < 2u * m2; i += WG) {
      let src = select(f1, f1p, i >= m2);
      buf[i] = tmp[base + src * m2 + (i & (m2 - 1u))];
    }
    workgroupBarrier();
    fft_forward(lid);
  }
  // the pairs (f, M−f) with f = f1 + M1·f2, each once: rows f1 ∉ {0, M1/2} pair with the other segment
  let count = select(select(m2, m2 / 2u, 2u * f1 == m1), m2 / 2u + 1u, f1 == 0u);
  for (var f2 = lid; f2 < count; f2 += WG) {
    let f = f1 + m1 * f2;
    let g = m - f;
    let gm = g & (m - 1u);
    let pf = bitrev(f2, LOG_M2);
    let pg = select(m2, 0u, (gm & (m1 - 1u)) == f1) + bitrev(gm >> LOG_M1, LOG_M2);
    let w = tw[f];
    if (MODE == 1u) {
      let xs = rfft_pair(buf[pf], buf[pg], w);
      var d = vec2<f32>(0.0);
      if (has_flag(FLAG_ADD_D)) { d.x = d_skip[h]; }
      spec[sbase + spectrum_index(g)] = p.scale * (xs.g + d);
      spec[sbase + spectrum_index(f)] = p.scale * (xs.f + d);
    } else {
      var yf: vec2<f32>;
      var yg: vec2<f32>;
      if (MODE == 0u) {
        let xs = rfft_pair(buf[pf], buf[pg], w);
        yf = cmul(xs.f, kernel_value(h, f));
        yg = cmul(xs.g, kernel_value(h, g));
      } else {
        yf = spec[sbase + spectrum_index(f)];
        yg = spec[sbase + spectrum_index(g)];
        if (has_flag(FLAG_HAS_K)) {
          yf = cmul(yf, kernel_value(h, f));
          yg = cmul(yg, kernel_value(h, g));
        } else {
          yf *= p.scale;
          yg *= p.scale;
        }
      }
      let zs = irfft_pair(yf, yg, w);
      buf[pg] = zs.g; // f = 0: both land on position 0, where Z'[0] must win
      buf[pf] = zs.f;
    }
  }
  if (MODE != 1u) {
    workgroupBarrier();
    fft_inverse(lid);
    for (var i = lid; i < 2u * m2; i += WG) {
      let seg1 = i >= m2;
      if (!seg1 || f1p != f1) {
        tmp[base + select(f1, f1p, seg1) * m2 + (i & (m2 - 1u))] = buf[i];
      }
    }
  }
}
