// Reverse-mode differentiation over the recorded graph. Gradients are computed without recording, each
// node's temporaries are freed by a tidy scope, consumed intermediate gradients are disposed as soon as
// nothing needs them, and the graph is released afterwards (like PyTorch without retain_graph).
import { ShapeError } from '@hippo/kernels';
import { add } from '../ops/elementwise.js';
import { Tensor } from '../tensor.js';
import { keep, noGrad, tidy } from './scope.js';

function topoOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>([root]);
  // iterative DFS: deep graphs (long unrolled recurrences) would overflow the JS stack
  const stack: [Tensor, number][] = [[root, 0]];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const inputs = top[0].gradFn?.inputs ?? [];
    if (top[1] < inputs.length) {
      const next = inputs[top[1]++];
      if (next.requiresGrad && !seen.has(next)) {
        seen.add(next);
        stack.push([next, 0]);
      }
    } else {
      order.push(top[0]);
      stack.pop();
    }
  }
  return order.reverse();
}

// non-leaf tensors whose graph an earlier backward() freed: they cannot pass gradients on any more
const released = new WeakSet<Tensor>();

export function backward(root: Tensor, seed?: Tensor): void {
  if (!root.requiresGrad) throw new Error('backward: the tensor does not require grad (no parameter contributed to it)');
  if (!seed && root.size !== 1) throw new ShapeError('backward', 'grad', `given for a non-scalar output [${root.shape}]`, 'none');
  if (seed && seed.size !== root.size) throw new ShapeError('backward', 'grad', `[${root.shape}]`, `[${seed.shape}]`);
  noGrad(() => {
    const grads = new Map<Tensor, Tensor>();
    // gradients this pass created (never the caller's seed): only these may be disposed here
    const owned = new Set<Tensor>();
    const held = (g: Tensor) => [...grads.values()].includes(g);
    const release = (g: Tensor) => {
      if (owned.has(g) && !held(g)) {
        owned.delete(g);
        g.dispose();
      }
    };
    if (seed) grads.set(root, seed);
    else {
      const one = keep(new Tensor(root.backend.full(root.dtype, 1, 1), root.shape));
      owned.add(one);
      grads.set(root, one);
    }
    const order = topoOrder(root);
    const stale = order.find((t) => released.has(t));
    if (stale)
      throw new Error(
        `backward: ${stale === root ? 'this tensor' : `an intermediate ${stale}`} belongs to a graph an earlier backward() already freed; recompute it`,
      );
    for (const t of order) {
      const g = grads.get(t);
      if (!g) continue;
      grads.delete(t);
      const node = t.gradFn;
      if (!node) {
        // a leaf: take ownership of g (or a copy of it) as, or into, .grad
        let mine = g;
        if (!owned.has(g) || held(g)) mine = keep(new Tensor(g.backend.copy(g.storage), g.shape));
        owned.delete(mine);
        if (mine.shape.join() !== t.shape.join()) {
          const view = keep(mine.reshape(t.shape));
          mine.dispose();
          mine = view;
        }
        if (t.grad) {
          const sum = keep(add(t.grad, mine));
          t.grad.dispose();
          mine.dispose();
          t.grad = sum;
        } else t.grad = mine;
        continue;
      }
      const inputGrads = tidy(() => node.backward(g));
      t.gradFn = null; // release the graph and what it saved
      released.add(t);
      node.inputs.forEach((input, i) => {
        const gi = inputGrads[i];
        if (!gi || !input.requiresGrad) return;
        if (gi !== g && !owned.has(gi)) {
          keep(gi);
          owned.add(gi);
        }
        const prev = grads.get(input);
        if (!prev) {
          grads.set(input, gi);
          return;
        }
        const sum = keep(add(prev, gi));
        owned.add(sum);
        grads.set(input, sum);
        release(prev);
        release(gi);
      });
      release(g);
    }
  });
}
