// Elementwise binary ops with NumPy broadcasting on f32 (binaryRef): out[i] = a[ia(i)] ∘ b[ib(i)], ops
// 0 add, 1 sub, 2 mul, 3 div. One IEEE f32 operation per element is exactly the reference's f64 operation
// rounded to f32, so results are bit-identical to binaryRef. The innermost dim runs as vectors when each
// input is contiguous or broadcast along it.
import { loadTail, storeTail } from './simd';

/** Layout of the plan block (i32): rank, then dims, aStrides, bStrides at these element offsets. */
const DIMS = 1;
const A_STRIDES = 9;
const B_STRIDES = 17;

// @ts-ignore: decorator
@inline
function op4(op: i32, x: v128, y: v128): v128 {
  switch (op) {
    case 0:
      return f32x4.add(x, y);
    case 1:
      return f32x4.sub(x, y);
    case 2:
      return f32x4.mul(x, y);
    default:
      return f32x4.div(x, y);
  }
}

// @ts-ignore: decorator
@inline
function op1(op: i32, x: f32, y: f32): f32 {
  switch (op) {
    case 0:
      return x + y;
    case 1:
      return x - y;
    case 2:
      return x * y;
    default:
      return x / y;
  }
}

// @ts-ignore: decorator
@inline
function planAt(plan: usize, field: i32, d: i32): i32 {
  return load<i32>(plan + <usize>(field + d) * 4);
}

/** One run of `len` outputs along the innermost dim, inputs advancing by sa / sb elements (1 or 0 vectorise). */
function run(op: i32, out: usize, a: usize, sa: i32, b: usize, sb: i32, len: i32): void {
  if ((sa == 1 || sa == 0) && (sb == 1 || sb == 0)) {
    const av = f32x4.splat(load<f32>(a));
    const bv = f32x4.splat(load<f32>(b));
    let j = 0;
    for (; j + 4 <= len; j += 4) {
      const x = sa ? v128.load(a + <usize>j * 4) : av;
      const y = sb ? v128.load(b + <usize>j * 4) : bv;
      v128.store(out + <usize>j * 4, op4(op, x, y));
    }
    const k = len - j;
    if (k > 0) {
      const x = sa ? loadTail(a + <usize>j * 4, k) : av;
      const y = sb ? loadTail(b + <usize>j * 4, k) : bv;
      storeTail(out + <usize>j * 4, op4(op, x, y), k);
    }
    return;
  }
  for (let j = 0; j < len; j++) {
    store<f32>(out + <usize>j * 4, op1(op, load<f32>(a + <usize>j * sa * 4), load<f32>(b + <usize>j * sb * 4)));
  }
}

/**
 * out [size] = a ∘ b through the broadcast plan at `plan` (see DIMS / A_STRIDES / B_STRIDES), for outputs
 * chunk·per .. min(size, (chunk+1)·per). scratch holds the odometer (one i32 per dim).
 */
export function binaryF32(op: i32, out: usize, a: usize, b: usize, plan: usize, size: i32, per: i32, chunk: i32, scratch: usize): void {
  const rank = load<i32>(plan);
  const i0 = chunk * per;
  const i1 = min(i0 + per, size);
  // odometer position of i0 and the input offsets there
  let rest = i0;
  let ia = 0;
  let ib = 0;
  for (let d = rank - 1; d >= 0; d--) {
    const dim = planAt(plan, DIMS, d);
    const idx = rest % dim;
    rest /= dim;
    store<i32>(scratch + <usize>d * 4, idx);
    ia += idx * planAt(plan, A_STRIDES, d);
    ib += idx * planAt(plan, B_STRIDES, d);
  }
  const last = rank - 1;
  const inner = planAt(plan, DIMS, last);
  const sa = planAt(plan, A_STRIDES, last);
  const sb = planAt(plan, B_STRIDES, last);
  let i = i0;
  while (i < i1) {
    const at = load<i32>(scratch + <usize>last * 4);
    const len = min(inner - at, i1 - i);
    run(op, out + <usize>i * 4, a + <usize>ia * 4, sa, b + <usize>ib * 4, sb, len);
    i += len;
    // advance the odometer by len: the innermost dim moves, carries ripple outwards
    ia += len * sa;
    ib += len * sb;
    store<i32>(scratch + <usize>last * 4, at + len);
    for (let d = last; d > 0 && load<i32>(scratch + <usize>d * 4) == planAt(plan, DIMS, d); d--) {
      const dim = planAt(plan, DIMS, d);
      store<i32>(scratch + <usize>d * 4, 0);
      ia -= dim * planAt(plan, A_STRIDES, d);
      ib -= dim * planAt(plan, B_STRIDES, d);
      store<i32>(scratch + <usize>(d - 1) * 4, load<i32>(scratch + <usize>(d - 1) * 4) + 1);
      ia += planAt(plan, A_STRIDES, d - 1);
      ib += planAt(plan, B_STRIDES, d - 1);
    }
  }
}
