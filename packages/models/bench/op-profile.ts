// Per-op time of a backend, for the benchmarks' "what dominates" tables: wraps every method of one backend
// instance (not its class, so other backends stay untouched) and accumulates wall time per (phase, op).
// Only the outermost backend call is timed, so an op built from other backend calls is not counted twice;
// the overhead is two performance.now() calls per op (well under 1% of a training step).
import type { MatmulParams } from '@hippo/kernels';
import type { Backend } from '@hippo/tensor';

export interface OpTotal {
  phase: string;
  op: string;
  ms: number;
  calls: number;
}

export class OpProfile {
  /** The label the next backend calls are booked under (e.g. 'forward', 'backward', 'optimiser'). */
  phase = 'other';
  private readonly totals = new Map<string, OpTotal>();
  private depth = 0;

  /** Wraps `backend`'s methods in place. */
  constructor(backend: Backend) {
    const target = backend as unknown as Record<string, unknown>;
    for (const name of methodNames(backend)) {
      const fn = target[name] as (...a: unknown[]) => unknown;
      target[name] = (...args: unknown[]) => {
        if (this.depth > 0) return fn.apply(backend, args);
        this.depth++;
        const t0 = performance.now();
        try {
          return fn.apply(backend, args);
        } finally {
          this.depth--;
          this.book(opLabel(name, args), performance.now() - t0);
        }
      };
    }
  }

  /** Forgets what was booked so far (after warm-up). */
  reset(): void {
    this.totals.clear();
  }

  /** The booked totals, largest first, divided by `steps`. */
  perStep(steps: number): OpTotal[] {
    return [...this.totals.values()].map((t) => ({ ...t, ms: t.ms / steps, calls: t.calls / steps })).sort((a, b) => b.ms - a.ms);
  }

  private book(op: string, ms: number): void {
    const key = `${this.phase}\u0000${op}`;
    const t = this.totals.get(key) ?? { phase: this.phase, op, ms: 0, calls: 0 };
    t.ms += ms;
    t.calls++;
    this.totals.set(key, t);
  }
}

/** Every method on the prototype chain below Object.prototype. */
function methodNames(obj: object): string[] {
  const names = new Set<string>();
  for (let p = Object.getPrototypeOf(obj); p && p !== Object.prototype; p = Object.getPrototypeOf(p))
    for (const n of Object.getOwnPropertyNames(p)) if (n !== 'constructor' && typeof Object.getOwnPropertyDescriptor(p, n)?.value === 'function') names.add(n);
  return [...names];
}

/** The op's name; matmuls also by shape class, since the LM head's dwarfs the rest. */
function opLabel(name: string, args: unknown[]): string {
  if (name !== 'matmul') return name;
  const p = args[3] as MatmulParams;
  const big = Math.max(p.M, p.N, p.K);
  return big > 10_000 ? `matmul (LM head, ${p.M}×${p.K}×${p.N}${p.transA ? ' Aᵀ' : ''}${p.transB ? ' Bᵀ' : ''})` : 'matmul (other)';
}
