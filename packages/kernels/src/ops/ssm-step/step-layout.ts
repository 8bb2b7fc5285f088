// How the fused step kernels spread a row (one channel of one sequence: its N2 modes or N taps) over invocations.
// 'segmented': NP invocations per row (NP a power of two ≥ the row length, ≤ 256), WG / NP rows per workgroup,
//   the row's sum a tree in workgroup memory — parallel over the modes, for GPUs.
// 'row': one invocation per row looping over it, no barriers — for software adapters (lavapipe, SwiftShader),
//   which run a workgroup's invocations one after another and switch between all of them at every barrier:
//   at H3-125M width (768 channels, N2 = 32, N = 64) 'row' measured 0.6 ms per step (diag + shift) at batch 1
//   and 4–6 ms at batch 8 on lavapipe, 'segmented' 17–30 ms and 290–320 ms. Also any row longer than 256.
import { ShapeError } from '../../errors.js';
import type { BindingKind, GpuContext, Kernel } from '../../runtime/gpu-context.js';
import type { UniformField, UniformStruct } from '../../runtime/uniform.js';
import segmentSum from './segment-sum.wgsl';

export type SsmStepLayout = 'auto' | 'segmented' | 'row';

/** Options of the step kernels: the layout (default 'auto': 'row' on fallback adapters or rows > 256, else 'segmented'). */
export interface SsmStepOptions {
  layout?: SsmStepLayout;
}

/** The longest row the segmented layout can hold in one workgroup. */
export const MAX_SEGMENT = 256;
const SEGMENT_WG = 256;
const ROW_WG = 64;

/** The layout for `rows` rows of n values, with its constants (NP = 1 for 'row') and workgroup count. */
export function stepLayout(
  ctx: GpuContext,
  fn: string,
  arg: string,
  rows: number,
  n: number,
  opts: SsmStepOptions,
): { layout: 'segmented' | 'row'; NP: number; WG: number; workgroups: number } {
  const want = opts.layout ?? 'auto';
  if (want === 'segmented' && n > MAX_SEGMENT) throw new ShapeError(fn, arg, `at most ${MAX_SEGMENT} for the segmented layout`, String(n));
  const layout = want === 'auto' ? (ctx.adapter.isFallbackAdapter || n > MAX_SEGMENT ? 'row' : 'segmented') : want;
  if (layout === 'row') return { layout, NP: 1, WG: ROW_WG, workgroups: Math.ceil(rows / ROW_WG) };
  let NP = 1;
  while (NP < n) NP *= 2;
  return { layout, NP, WG: SEGMENT_WG, workgroups: Math.ceil(rows / (SEGMENT_WG / NP)) };
}

/** The WGSL of one step kernel: its bindings library and the source of each layout. */
export interface StepSources {
  io: string;
  row: string;
  segmented: string;
}

/** The compiled step kernel `op` for a layout from stepLayout (the segmented one with segment-sum.wgsl). */
export function stepKernel<F extends Record<string, UniformField>>(
  ctx: GpuContext,
  op: string,
  sources: StepSources,
  uniform: UniformStruct<F>,
  bindings: readonly BindingKind[],
  plan: ReturnType<typeof stepLayout>,
): Kernel<F> {
  const { layout, WG, NP } = plan;
  const row = layout === 'row';
  return ctx.kernel({
    key: { op, layout, wg: WG, np: NP },
    source: row ? sources.row : sources.segmented,
    libraries: row ? [sources.io] : [sources.io, segmentSum],
    uniform,
    bindings,
    constants: row ? { WG } : { WG, NP },
  });
}
