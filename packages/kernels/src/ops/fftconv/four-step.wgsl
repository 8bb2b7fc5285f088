// Index helpers of the four-step (multi-pass) FFT (a KernelSpec library after fft-workgroup.wgsl). A transform
// of M = M1·M2 complex points is split as n = M2·n1 + n2 and f = f1 + M1·f2: columns (length M1 over n1, one
// per n2) are transformed first and multiplied by W_M^(n2·f1); rows (length M2 over n2, one per f1) second.
// Between passes a row of the scratch array `tmp` [rows, M1, M2] holds one f1 row contiguously.
override LOG_M1: u32; // M1 = 2^LOG_M1 ≥ 2
override LOG_M2: u32; // M2 = 2^LOG_M2 ≥ 2; M = M1·M2 = N/2

// W_M^(n2·f1) = W_N^(2·n2·f1), the twiddle between the column and row passes.
fn four_step_twiddle(n2: u32, f1: u32) -> vec2<f32> {
  return twiddle_n((2u * n2 * f1) & ((1u << LOG_N) - 1u));
}

// Where frequency f (0 ≤ f ≤ M) of a row's spectrum is stored: f1-major, like tmp, with f = M last.
fn spectrum_index(f: u32) -> u32 {
  let m = 1u << (LOG_M1 + LOG_M2);
  if (f == m) { return m; }
  return (f & ((1u << LOG_M1) - 1u)) * (1u << LOG_M2) + (f >> LOG_M1);
}
