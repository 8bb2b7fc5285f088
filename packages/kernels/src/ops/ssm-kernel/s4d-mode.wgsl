// S4D bilinear discretisation of one mode and Ā^l in f32 (a KernelSpec library; maths in s4d-kernel.ref.ts).
// Ā^l = exp(l·Re log Ā)·(cos, sin)(l·arg Ā). The phase l·arg Ā reaches L·π (25 736 rad at L = 8192), where
// an f32 product or a library sin/cos would be off by ~1e−3 rad, so the phase is carried in turns as a
// 32-bit fixed-point fraction: l·F wraps exactly in u32, only a sub-unit residual is rounded, and the
// reduced angle |x| ≤ π/4 goes through a polynomial of error < 2⁻²³ (no platform sin/cos: WGSL only bounds
// their error by 2⁻¹¹). atan2 and log1p are series of our own too (llvmpipe's atan2 is ~350 ulp off, its log
// >1000 ulp near 1). What is left is the f32 rounding of arg Ā and Re log Ā (a few ulp, plus the WGSL bound
// 3 + 2|x| ulp of exp on Δ and Re A), amplified by l: the inherent conditioning of Ā^l on f32 parameters.
// s4d-kernel.gpu.test.ts turns this into its tolerances.

struct S4dMode {
  dt: f32,
  ar: f32,          // Re A = −exp(invAReal)
  z: vec2<f32>,     // Δ·A/2
  r: vec2<f32>,     // 1/(1 − z)
  p: vec2<f32>,     // Ā = (1 + z)·r
  bbar: vec2<f32>,  // B̄ = Δ·B·r
  w: vec2<f32>,     // W = C·B̄
  re_log: f32,      // Re log Ā = ½·log1p(4·Re z/|1 − z|²)
  turns_fix: i32,   // round(arg Ā/2π · 2³²)
  turns_res: f32,   // arg Ā/2π · 2³² − turns_fix, in [−½, ½]
}

fn cmul(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  return vec2<f32>(a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x);
}

fn conj(a: vec2<f32>) -> vec2<f32> {
  return vec2<f32>(a.x, -a.y);
}

// 2·atanh(s) = log((1 + s)/(1 − s)) for |s| ≤ 1/3: odd Taylor series to s¹⁹ (truncation < 2⁻²⁶ relative).
fn atanh2_series(s: f32) -> f32 {
  let s2 = s * s;
  var acc = 1.0 / 19.0;
  for (var k = 17.0; k > 0.0; k -= 2.0) { acc = 1.0 / k + s2 * acc; }
  return 2.0 * s * acc;
}

// log(1 + x) for x > −1 to a few ulp, without the platform log (llvmpipe's is off by >1000 ulp near 1):
// the series in s = x/(2 + x) for |x| ≤ ½ (no cancellation: x is exact), else frexp(1 + x) = m·2^e with
// m ∈ [√½, √2) and log = e·ln 2 + log m.
fn log1p_acc(x: f32) -> f32 {
  if (abs(x) <= 0.5) { return atanh2_series(x / (2.0 + x)); }
  let f = frexp(1.0 + x);
  var m = f.fract;
  var e = f32(f.exp);
  if (m < 0.70710678) {
    m = 2.0 * m;
    e = e - 1.0;
  }
  return e * 0.69314718 + atanh2_series((m - 1.0) / (m + 1.0));
}

// atan(t) for |t| ≤ tan(π/8): odd Taylor series to t¹⁷ (truncation < 2⁻²⁶ relative).
fn atan_series(t: f32) -> f32 {
  let t2 = t * t;
  var acc = 1.0 / 17.0;
  for (var k = 15.0; k > 0.0; k -= 2.0) { acc = 1.0 / k - t2 * acc; }
  return t * acc;
}

// atan2(y, x) to a few ulp without the platform atan2 (llvmpipe's is off by ~350 ulp): fold to t ∈ [0, 1],
// then atan t = π/4 + atan((t − 1)/(t + 1)) above tan(π/8).
fn atan2_acc(y: f32, x: f32) -> f32 {
  let ax = abs(x);
  let ay = abs(y);
  if (ax == 0.0 && ay == 0.0) { return 0.0; }
  let swap = ay > ax;
  let t = select(ay / ax, ax / ay, swap);
  var a = select(atan_series(t), 0.78539816 + atan_series((t - 1.0) / (t + 1.0)), t > 0.41421356);
  if (swap) { a = 1.5707964 - a; }
  if (x < 0.0) { a = 3.1415927 - a; }
  return select(a, -a, y < 0.0);
}

fn s4d_mode(log_dt: f32, inv_a_real: f32, a_imag: f32, b: vec2<f32>, c: vec2<f32>) -> S4dMode {
  var m: S4dMode;
  m.dt = exp(log_dt);
  m.ar = -exp(inv_a_real);
  m.z = vec2<f32>(m.dt * m.ar, m.dt * a_imag) * 0.5;
  let den = (1.0 - m.z.x) * (1.0 - m.z.x) + m.z.y * m.z.y; // |1 − z|²
  m.r = vec2<f32>(1.0 - m.z.x, m.z.y) / den;
  // (1 + z)(1 − z̄)/|1 − z|² = (1 − |z|² + 2i·Im z)/|1 − z|²
  let num = vec2<f32>(1.0 - m.z.x * m.z.x - m.z.y * m.z.y, 2.0 * m.z.y);
  m.p = num / den;
  m.bbar = m.dt * cmul(b, m.r);
  m.w = cmul(c, m.bbar);
  // |Ā|² = |1 + z|²/|1 − z|² = 1 + 4·Re z/|1 − z|²
  m.re_log = 0.5 * log1p_acc(4.0 * m.z.x / den);
  let turns = atan2_acc(num.y, num.x) * 0.15915494309189535 * 4294967296.0; // arg Ā/2π in units of 2⁻³² turn
  let fixed = round(turns);
  m.turns_fix = i32(clamp(fixed, -2147483648.0, 2147483520.0));
  m.turns_res = turns - f32(m.turns_fix);
  return m;
}

// (cos, sin)(x) for |x| ≤ π/4 + a hair: Taylor polynomials whose truncation is < 2⁻²⁵ there.
fn sincos_small(x: f32) -> vec2<f32> {
  let x2 = x * x;
  let s = x * (1.0 + x2 * (-1.6666667e-1 + x2 * (8.3333333e-3 + x2 * (-1.9841270e-4 + x2 * 2.7557319e-6))));
  let c = 1.0 + x2 * (-0.5 + x2 * (4.1666667e-2 + x2 * (-1.3888889e-3 + x2 * 2.4801587e-5)));
  return vec2<f32>(c, s);
}

// Ā^l for the mode.
fn s4d_power(m: S4dMode, l: u32) -> vec2<f32> {
  let u = l * bitcast<u32>(m.turns_fix); // l·F mod 2³², exact
  // quarter turns: the top 16 bits (exact in f32), the low 16 bits and the residual's l·res (both small)
  let hi = f32(bitcast<i32>(u) >> 16u) * (4.0 / 65536.0);
  let q = round(hi);
  let lo = (f32(u & 0xffffu) + f32(l) * m.turns_res) * (4.0 / 4294967296.0);
  let x = ((hi - q) + lo) * 1.5707963267948966;
  let cs = sincos_small(x);
  let quadrant = i32(q) & 3;
  var rot = cs;
  if (quadrant == 1) { rot = vec2<f32>(-cs.y, cs.x); }
  if (quadrant == 2) { rot = -cs; }
  if (quadrant == 3) { rot = vec2<f32>(cs.y, -cs.x); }
  return exp(f32(l) * m.re_log) * rot;
}
