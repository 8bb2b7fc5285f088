// Test tolerances of the float32 attention kernels (webgpu and WebAssembly) against the float64 reference.
// With q, k ~ N(0, 1) and scale 1/√hd each score s = scale·q·k is a dot product of hd terms, off by
// δs ≈ ε·scale·Σ|q_d k_d| ≈ ε√hd in f32; exp turns δs into a relative error of the weights, and the weighted
// sums over ≤ L keys add ε√L. out is a convex combination of v rows, so its relative error is ≈ δs + ε√L:
// tolerance 2ε(√hd + √L + 4), a factor 2 above that estimate (measured: 4-10× below the tolerance).
const EPS = 2 ** -24;

/** Relative L2 tolerance of out, lse and decoding at length L, head dim hd. */
export const tolForward = (L: number, hd: number) => 2 * EPS * (Math.sqrt(hd) + Math.sqrt(L) + 4);

/**
 * Relative L2 tolerance of dq, dk, dv: dq and dk carry dS = P (dP − D), where D is the P-weighted mean of dP, so
 * for random dout the difference is of the size of dP itself and adds a factor ~2 of cancellation; dv is a
 * P-weighted sum like the forward.
 */
export const tolBackward = (L: number, hd: number) => 2 * tolForward(L, hd);
