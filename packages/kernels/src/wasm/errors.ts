// Errors of the WebAssembly CPU runtime, with the numbers a user needs to act on them.
import { HippoError } from '../errors.js';

/** WebAssembly SIMD, shared memory or the compiled kernels are missing here; `reason` says which. */
export class WasmUnavailableError extends HippoError {
  constructor(readonly reason: string) {
    super(`WebAssembly CPU kernels unavailable: ${reason}`);
  }
}

/** An allocation did not fit under the memory limit even after growing; names the size and the limit. */
export class WasmOutOfMemoryError extends HippoError {
  constructor(
    /** Bytes that were asked for (before rounding to a size class). */
    readonly requestedBytes: number,
    /** Bytes held by live allocations at the time. */
    readonly inUseBytes: number,
    /** The memory's limit in bytes. */
    readonly limitBytes: number,
  ) {
    super(
      `WebAssembly memory: cannot allocate ${fmtBytes(requestedBytes)} (${requestedBytes} bytes): ` +
        `${fmtBytes(inUseBytes)} in use, limit ${fmtBytes(limitBytes)}. ` +
        'Free tensors you no longer need (dispose() or tidy()), use smaller batches, or raise maxBytes of WasmRuntime (at most 4 GiB).',
    );
  }
}

function fmtBytes(n: number): string {
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(2)} GiB`;
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(1)} MiB`;
  if (n >= 2 ** 10) return `${(n / 2 ** 10).toFixed(1)} KiB`;
  return `${n} B`;
}
