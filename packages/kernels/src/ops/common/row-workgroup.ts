// Workgroup size of the one-workgroup-per-row kernels (those using workgroup-reduce.wgsl).
const MAX_WG = 256;

/** The smallest power of two ≥ n within [32, 256]: short rows do not pay for idle invocations and extra barriers. */
export function rowWorkgroup(n: number): number {
  let wg = 32;
  while (wg < n && wg < MAX_WG) wg *= 2;
  return wg;
}
