// Token embedding (embeddingForwardRef / embeddingBackwardRef): a row gather forward; backward, a
// scatter-add where each chunk owns a tile of columns and adds the tokens in order, so the sums are the
// reference's f32 sums exactly and no two threads write the same element. Ids are checked by the caller.

/** Columns per backward chunk. */
export const EMB_COLS = 256;

/** out [n, dim] rows i in chunk·per .. min(n, (chunk+1)·per) = weight row ids[i]. */
export function embeddingForwardF32(out: usize, weight: usize, ids: usize, n: i32, dim: i32, per: i32, chunk: i32, scratch: usize): void {
  const i1 = min(chunk * per + per, n);
  const rowBytes = <usize>dim * 4;
  for (let i = chunk * per; i < i1; i++) {
    memory.copy(out + <usize>i * rowBytes, weight + <usize>load<i32>(ids + <usize>i * 4) * rowBytes, rowBytes);
  }
}

/** dweight [vocab, dim] (zeroed by the caller) += dy [n, dim] rows scattered to ids, for this chunk's columns. */
export function embeddingBackwardF32(dweight: usize, dy: usize, ids: usize, n: i32, dim: i32, chunk: i32, scratch: usize): void {
  const c0 = chunk * EMB_COLS;
  const w = min(EMB_COLS, dim - c0);
  for (let i = 0; i < n; i++) {
    const src = dy + (<usize>i * dim + c0) * 4;
    const dst = dweight + (<usize>load<i32>(ids + <usize>i * 4) * dim + c0) * 4;
    let j = 0;
    for (; j + 4 <= w; j += 4) v128.store(dst + <usize>j * 4, f32x4.add(v128.load(dst + <usize>j * 4), v128.load(src + <usize>j * 4)));
    for (; j < w; j++) store<f32>(dst + <usize>j * 4, load<f32>(dst + <usize>j * 4) + load<f32>(src + <usize>j * 4));
  }
}
