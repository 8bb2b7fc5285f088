// Row addressing and flags shared by the FFT-convolution kernels (a KernelSpec library after the Params uniform
// `p`; the flag bits mirror FFT_FLAGS in gpu-common.ts).
// A row is one length-`chunk_len` piece of a [B·H, length] array: `chunks` pieces per sequence (state
// passing splits a sequence into chunks; a plain convolution has chunks = 1, chunk_len = length).

struct RowSpan {
  off: u32, // first element of the row in the [B·H, length] array
  len: u32, // valid elements (the last chunk may be short)
  h: u32,   // channel, which selects the kernel spectrum
}

fn row_span(r: u32) -> RowSpan {
  let bh = r / p.chunks;
  let c = r - bh * p.chunks;
  let start = c * p.chunk_len;
  return RowSpan(bh * p.length + start, min(p.chunk_len, p.length - start), bh % p.channels);
}

// The workgroup index of a dispatch over GpuContext.grid(n).
fn linear_workgroup(wid: vec3<u32>, nwg: vec3<u32>) -> u32 {
  return wid.x + wid.y * nwg.x;
}

const FLAG_CONJ: u32 = 1u;   // multiply by the conjugate kernel spectrum (the backward correlation)
const FLAG_ADD_D: u32 = 2u;  // add D[h] to a computed spectrum
const FLAG_EMIT: u32 = 4u;   // also write the input's spectrum
const FLAG_FIRST: u32 = 8u;  // also write each output row's first value
const FLAG_HAS_K: u32 = 16u; // multiply by a kernel spectrum (else by p.scale)

fn has_flag(f: u32) -> bool {
  return (p.flags & f) != 0u;
}
