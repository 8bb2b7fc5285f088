/** The typed description of one compiled kernel specialisation; rendered as the cache key and GPU label. */
export interface KernelKeyParts {
  op: string;
  [field: string]: string | number | boolean;
}

/** `kernelKey({ op: 'matmul', tile: 64, transA: true })` → `"matmul_tile64_transAtrue"` (op first, fields in given order). */
export function kernelKey(parts: KernelKeyParts): string {
  const rest = Object.entries(parts)
    .filter(([k]) => k !== 'op')
    .map(([k, v]) => `${k}${v}`);
  return [parts.op, ...rest].join('_');
}
