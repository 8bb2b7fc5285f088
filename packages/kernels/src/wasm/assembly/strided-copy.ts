// Strided copy of 4-byte words (f32 and i32 alike; stridedCopyRef): dst[Σ i_d·dstStrides[d]] =
// src[Σ i_d·srcStrides[d]] over the iteration shape, dst and src already advanced to their offsets. Runs of
// the innermost dim that are contiguous in both views are one memory.copy.

/** Layout of the plan block (i32): rank, then shape, srcStrides, dstStrides (outermost first) at these offsets. */
const SHAPE = 1;
const SRC_STRIDES = 7;
const DST_STRIDES = 13;

// @ts-ignore: decorator
@inline
function planAt(plan: usize, field: i32, d: i32): i32 {
  return load<i32>(plan + <usize>(field + d) * 4);
}

/**
 * Copies elements chunk·per .. min(size, (chunk+1)·per) of the iteration (row-major over the shape).
 * scratch holds the odometer (one i32 per dim).
 */
export function stridedCopy32(dst: usize, src: usize, plan: usize, size: i32, per: i32, chunk: i32, scratch: usize): void {
  const rank = load<i32>(plan);
  const i0 = chunk * per;
  const i1 = min(i0 + per, size);
  // odometer position of i0 and both views' element offsets there
  let rest = i0;
  let is = 0;
  let id = 0;
  for (let d = rank - 1; d >= 0; d--) {
    const n = planAt(plan, SHAPE, d);
    const k = rest % n;
    rest /= n;
    store<i32>(scratch + <usize>d * 4, k);
    is += k * planAt(plan, SRC_STRIDES, d);
    id += k * planAt(plan, DST_STRIDES, d);
  }
  const last = rank - 1;
  const inner = planAt(plan, SHAPE, last);
  const ss = planAt(plan, SRC_STRIDES, last);
  const ds = planAt(plan, DST_STRIDES, last);
  let i = i0;
  while (i < i1) {
    const at = load<i32>(scratch + <usize>last * 4);
    const len = min(inner - at, i1 - i);
    const s = src + <usize>is * 4;
    const t = dst + <usize>id * 4;
    if (ss == 1 && ds == 1) memory.copy(t, s, <usize>len * 4);
    else for (let j = 0; j < len; j++) store<u32>(t + <usize>(j * ds) * 4, load<u32>(s + <usize>(j * ss) * 4));
    i += len;
    // advance the odometer by len: the innermost dim moves, carries ripple outwards
    is += len * ss;
    id += len * ds;
    store<i32>(scratch + <usize>last * 4, at + len);
    for (let d = last; d > 0 && load<i32>(scratch + <usize>d * 4) == planAt(plan, SHAPE, d); d--) {
      const n = planAt(plan, SHAPE, d);
      store<i32>(scratch + <usize>d * 4, 0);
      is -= n * planAt(plan, SRC_STRIDES, d);
      id -= n * planAt(plan, DST_STRIDES, d);
      store<i32>(scratch + <usize>(d - 1) * 4, load<i32>(scratch + <usize>(d - 1) * 4) + 1);
      is += planAt(plan, SRC_STRIDES, d - 1);
      id += planAt(plan, DST_STRIDES, d - 1);
    }
  }
}
