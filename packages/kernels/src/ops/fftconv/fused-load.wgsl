// Loading a real row into workgroup memory for the fused kernels (a KernelSpec library after fft-rows.wgsl and
// fft-workgroup.wgsl; the kernel declares its input as `x`): buf[n] = x[2n] + i·x[2n+1], zero past the row's
// valid length, then a barrier so the forward FFT sees every point.
fn load_packed_row(lid: u32, row: RowSpan) {
  for (var n = lid; n < BUF; n += WG) {
    var z = vec2<f32>(0.0);
    if (2u * n < row.len) { z.x = x[row.off + 2u * n]; }
    if (2u * n + 1u < row.len) { z.y = x[row.off + 2u * n + 1u]; }
    buf[n] = z;
  }
  workgroupBarrier();
}
