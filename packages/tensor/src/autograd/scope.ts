// Lifetime of tensors: GPU memory is not reclaimed by JavaScript's GC in time, so temporaries are
// disposed explicitly — by `tidy(fn)` scopes (everything made inside and not returned is disposed) and by
// backward(), which drops the graph and frees intermediate gradients as soon as they are consumed.

export interface Disposable {
  dispose(): void;
  /** Kept tensors (parameters, leaf gradients, optimiser state) are never disposed by a scope. */
  kept: boolean;
}

const scopes: Set<Disposable>[] = [];
let gradEnabled = true;

/** Registers a new tensor with the innermost scope (if any). */
export function track(t: Disposable): void {
  scopes[scopes.length - 1]?.add(t);
}

/** Removes a tensor from scope management for good. */
export function keep<T extends Disposable>(t: T): T {
  t.kept = true;
  for (const s of scopes) s.delete(t);
  return t;
}

function collect(value: unknown, into: Set<unknown>): void {
  if (value === null || typeof value !== 'object') return;
  if (into.has(value)) return;
  into.add(value);
  if (Array.isArray(value)) for (const v of value) collect(v, into);
  else if (value instanceof Map) for (const v of value.values()) collect(v, into);
  else if (Object.getPrototypeOf(value) === Object.prototype) for (const v of Object.values(value)) collect(v, into);
}

/**
 * Runs a synchronous `fn`, then disposes every tensor created inside it except those it returns (found in
 * arrays, Maps and plain objects) and kept ones; returned tensors move to the enclosing scope.
 * @example const loss = tidy(() => model.loss(x, y)); // all activations freed, loss kept
 */
export function tidy<T>(fn: () => T): T {
  const scope = new Set<Disposable>();
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
    if (result instanceof Promise) throw new Error('tidy: fn must be synchronous (await outside the scope)');
  } finally {
    scopes.pop();
  }
  const returned = new Set<unknown>();
  collect(result, returned);
  for (const t of scope) {
    if (returned.has(t)) track(t);
    else if (!t.kept) t.dispose();
  }
  return result;
}

/** Runs `fn` without recording operations for autograd. */
export function noGrad<T>(fn: () => T): T {
  const prev = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = prev;
  }
}

export function isGradEnabled(): boolean {
  return gradEnabled;
}
