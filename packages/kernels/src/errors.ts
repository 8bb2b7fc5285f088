// Error classes with structured fields, so callers and tests can assert on fields rather than prose.

const HIPPO_ERROR = Symbol.for('hippo.error');

/** Base class of every error Hippo throws on purpose. */
export class HippoError extends Error {
  readonly [HIPPO_ERROR] = true;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
  /** True for any HippoError, even across duplicated package copies. */
  static isInstance(e: unknown): e is HippoError {
    return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[HIPPO_ERROR] === true;
  }
}

/** A tensor or buffer had the wrong shape: names the function, the parameter, expected and got. */
export class ShapeError extends HippoError {
  constructor(
    readonly fn: string,
    readonly param: string,
    readonly expected: string,
    readonly got: string,
  ) {
    super(`${fn}: ${param} must have shape ${expected}; got ${got}`);
  }
}

/** A tensor had the wrong dtype or sat on the wrong backend for an op. */
export class DTypeError extends HippoError {
  constructor(
    readonly fn: string,
    readonly param: string,
    readonly expected: string,
    readonly got: string,
  ) {
    super(`${fn}: ${param} must be ${expected}; got ${got}`);
  }
}

/** No WebGPU adapter could be acquired; the message says what to install. */
export class GpuUnavailableError extends HippoError {
  constructor(readonly reason: string) {
    super(
      `No WebGPU adapter: ${reason}.\n` +
        'Install a WebGPU-capable driver: Linux without a GPU: Mesa lavapipe from bookworm-backports ' +
        '(apt-get install -t bookworm-backports mesa-vulkan-drivers libvulkan1); NVIDIA/AMD/Intel: the vendor Vulkan driver; ' +
        'macOS: Metal (built in); Windows: D3D12 (built in). Or run on the CPU with HIPPO_BACKEND=cpu.',
    );
  }
}

/** A WGSL module or pipeline failed to compile or validate; `key` names the kernel, `step` the WebGPU call. */
export class KernelCompileError extends HippoError {
  constructor(
    readonly key: string,
    readonly step: string,
    readonly detail: string,
  ) {
    super(`${step} failed for kernel ${key}: ${detail}`);
  }
}

/** A file did not match its format; names the path and what was wrong, never half-reads it. */
export class FileFormatError extends HippoError {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
  }
}
