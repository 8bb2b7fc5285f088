// Generates the register passes of the workgroup FFT for one transform size (WGSL text, a KernelSpec library
// used with fft-workgroup.wgsl). A pass runs `nst` radix-2 stages on groups of R = 2^nst points held in
// named registers, unrolled: lavapipe (and GPU compilers) run straight-line code far faster than loops over a
// private array with computed indices. In a group (points base + m·s, s the smallest half-span) the
// twiddle of a butterfly at stage half-span h' is W_{2h'}^(r + low·s) = W_{2h'}^r · W_{2hm}^low: one table
// lookup per stage (r is the group's offset in its block) times a constant written into the code.

/** The literal of W_R^j = exp(−2πi·j/R) to 9 significant digits (f32 round-trips). */
function constTwiddle(j: number, r: number): string {
  const a = (-2 * Math.PI * j) / r;
  const lit = (v: number) => (Math.abs(v) < 1e-12 ? '0.0' : v.toPrecision(9));
  return `vec2<f32>(${lit(Math.cos(a))}, ${lit(Math.sin(a))})`;
}

/**
 * One pass function `fn name(lid: u32, log_h: u32)` over every group of buf: `dif` (forward, stages from the
 * largest half-span 2^log_h down) or `dit` (inverse, conjugate twiddles, stages from the smallest up to 2^log_h).
 */
function pass(kind: 'dif' | 'dit', name: string, nst: number): string {
  const R = 1 << nst;
  const lines: string[] = [];
  const emit = (s: string) => lines.push(`    ${s}`);
  for (let m = 0; m < R; m++) emit(`var x${m} = buf[base + ${m}u * s];`);
  for (let t = 0; t < nst; t++) {
    const lhm = kind === 'dif' ? nst - 1 - t : t; // this stage's half-span is hm = 2^lhm points of the group
    const hm = 1 << lhm;
    const w = `tw[r << (LOG_N - 1u - log_s - ${lhm}u)]`; // W_{2h'}^r = W_N^(r·N/2h'), h' = 2^(log_s + lhm)
    emit(`let w${t} = ${kind === 'dif' ? w : `conj(${w})`};`);
    for (let low = 1; low < hm; low++) emit(`let w${t}_${low} = cmul(w${t}, ${constTwiddle(kind === 'dif' ? low : -low, 2 * hm)});`);
    for (let q = 0; q < R / 2; q++) {
      const low = q % hm;
      const m0 = Math.floor(q / hm) * 2 * hm + low;
      const m1 = m0 + hm;
      const wq = low === 0 ? `w${t}` : `w${t}_${low}`;
      if (kind === 'dif') emit(`{ let a = x${m0}; let b = x${m1}; x${m0} = a + b; x${m1} = cmul(a - b, ${wq}); }`);
      else emit(`{ let a = x${m0}; let b = cmul(x${m1}, ${wq}); x${m0} = a + b; x${m1} = a - b; }`);
    }
  }
  for (let m = 0; m < R; m++) emit(`buf[base + ${m}u * s] = x${m};`);
  return [
    `fn ${name}(lid: u32, log_h: u32) {`,
    `  let log_s = log_h + 1u - ${nst}u;`,
    `  let s = 1u << log_s;`,
    `  for (var g = lid; g < (BUF >> ${nst}u); g += WG) {`,
    `    let r = g & (s - 1u);`,
    `    let base = ((g >> log_s) << (log_h + 1u)) + r;`,
    ...lines,
    `  }`,
    `}`,
  ].join('\n');
}

/**
 * One direction: ⌊logF / radixLog⌋ full passes in a loop, then a smaller pass for the remaining stages. Each
 * pass body appears once in the code, whatever the transform size: NIR inlines every call, and lavapipe's
 * compile time grows with the code and with the number of barrier sites.
 */
function direction(kind: 'dif' | 'dit', logF: number, radixLog: number): string {
  const fn = kind === 'dif' ? 'fft_forward' : 'fft_inverse';
  const full = Math.floor(logF / radixLog);
  const rest = logF - full * radixLog;
  const doc =
    kind === 'dif'
      ? `// Forward FFT of every ${2 ** logF}-point segment of buf: natural order in, bit-reversed order out.`
      : `// Unnormalised inverse FFT of every ${2 ** logF}-point segment of buf: bit-reversed order in, natural order out.`;
  // dif runs the half-spans from 2^(logF−1) down, dit from 2^0 up; a pass is called with its largest half-span
  const fullH = kind === 'dif' ? `${logF - 1}u - i * ${radixLog}u` : `i * ${radixLog}u + ${radixLog - 1}u`;
  const restH = kind === 'dif' ? `${rest - 1}u` : `${logF - 1}u`;
  const lines = [`fn ${fn}(lid: u32) {`];
  if (full > 0) lines.push(`  for (var i = 0u; i < ${full}u; i++) {`, `    ${fn}_r${2 ** radixLog}(lid, ${fullH});`, `    workgroupBarrier();`, `  }`);
  if (rest > 0) lines.push(`  ${fn}_r${2 ** rest}(lid, ${restH});`, `  workgroupBarrier();`);
  lines.push('}');
  const parts: string[] = [];
  if (full > 0) parts.push(pass(kind, `${fn}_r${2 ** radixLog}`, radixLog));
  if (rest > 0) parts.push(pass(kind, `${fn}_r${2 ** rest}`, rest));
  parts.push(`${doc}\n${lines.join('\n')}`);
  return parts.join('\n\n');
}

/** Which directions a kernel transforms in, and the radix of its register passes (log2 of the group size). */
export interface FftPassOptions {
  forward: boolean;
  inverse: boolean;
  radixLog: number;
}

/**
 * WGSL for transforms of F = 2^logF points: `fn fft_forward(lid: u32)` and/or `fn fft_inverse(lid: u32)`, each
 * ending with a barrier.
 * @example fftPassesWgsl(12, { forward: true, inverse: true, radixLog: 4 }) // 3 passes each way
 */
export function fftPassesWgsl(logF: number, o: FftPassOptions): string {
  if (!(o.radixLog >= 1 && o.radixLog <= 4)) throw new Error(`fftPassesWgsl: radixLog ${o.radixLog} outside [1, 4]`);
  const parts = [`// Generated by fft-passes.ts for ${2 ** logF}-point transforms, radix ${2 ** o.radixLog}.`];
  if (o.forward) parts.push(direction('dif', logF, o.radixLog));
  if (o.inverse) parts.push(direction('dit', logF, o.radixLog));
  return parts.join('\n\n');
}
