// Shared by the cpu and webgpu attention tests: generation-style decoding (rotary at the token's position, cache
// write, attention over the cache) against the full causal attention of the same sequences.
import type { Rng } from '@hippo/kernels';
import { Tensor, attentionDecode, causalAttention, kvCacheWrite, noGrad, rotary, type Backend } from '../src/index.js';

/**
 * Batch rows with prompts of lengths 1, L and 3 (B = 3, heads = 2, hd = 8, rotaryDim 4): decodes every token of
 * every row in turn and returns the decoded outputs and the matching rows of causalAttention over the whole
 * sequences, both [B, heads, L, hd] flattened (rows past a prompt's length are zero in both).
 */
export async function stepByStepDecode(backend: Backend, rng: Rng): Promise<{ got: Float32Array; want: Float32Array }> {
  const [B, H, L, hd] = [3, 2, 9, 8];
  const lengths = [1, L, 3];
  const data = () => rng.fillNormal(new Float32Array(B * L * H * hd));
  // q, k, v as [B, L, heads, hd] (rotary's layout), then viewed per head
  const [qs, ks, vs] = [data(), data(), data()];
  const full = (x: Float32Array) => Tensor.fromArray(backend, x, [B, L, H, hd]);
  const perHead = (t: Tensor) => {
    const a = t.toArray();
    return a.then((arr) => {
      const out = new Float32Array(B * H * L * hd);
      for (let b = 0; b < B; b++)
        for (let t2 = 0; t2 < L; t2++)
          for (let h = 0; h < H; h++) out.set(arr.subarray(((b * L + t2) * H + h) * hd, ((b * L + t2) * H + h + 1) * hd), ((b * H + h) * L + t2) * hd);
      return Tensor.fromArray(backend, out, [B, H, L, hd]);
    });
  };
  const [qh, kh, vh] = await Promise.all([perHead(rotary(full(qs), { rotaryDim: 4 })), perHead(rotary(full(ks), { rotaryDim: 4 })), perHead(full(vs))]);
  const ref = Float32Array.from(await causalAttention(qh, kh, vh).toArray());
  const want = new Float32Array(B * H * L * hd);
  const got = new Float32Array(B * H * L * hd);
  const kCache = Tensor.zeros(backend, [B, H, L, hd]);
  const vCache = Tensor.zeros(backend, [B, H, L, hd]);
  for (let t = 0; t < L; t++) {
    const pos = Int32Array.from(lengths, (n) => Math.min(t, n - 1)); // finished rows repeat their last token
    const token = (x: Float32Array) => {
      const out = new Float32Array(B * H * hd);
      for (let b = 0; b < B; b++) out.set(x.subarray((b * L + pos[b]) * H * hd, (b * L + pos[b] + 1) * H * hd), b * H * hd);
      return out;
    };
    // each row's token at its own position: rotary per row (offset = pos[b]) on [1, 1, heads, hd]
    const rot = async (x: Float32Array) => {
      const out = new Float32Array(B * H * hd);
      for (let b = 0; b < B; b++) {
        const r = rotary(Tensor.fromArray(backend, x.subarray(b * H * hd, (b + 1) * H * hd), [1, 1, H, hd]), { rotaryDim: 4, offset: pos[b] });
        out.set(await r.toArray(), b * H * hd);
      }
      return Tensor.fromArray(backend, out, [B, H, 1, hd]);
    };
    const [q, k] = [await rot(token(qs)), await rot(token(ks))];
    const v = Tensor.fromArray(backend, token(vs), [B, H, 1, hd]);
    const y = noGrad(() => {
      kvCacheWrite(kCache, k, pos);
      kvCacheWrite(vCache, v, pos);
      return attentionDecode(q, kCache, vCache, Int32Array.from(pos, (p) => p + 1));
    });
    const yv = await y.toArray();
    for (let b = 0; b < B; b++) {
      if (t >= lengths[b]) continue;
      for (let h = 0; h < H; h++) {
        const at = ((b * H + h) * L + t) * hd;
        got.set(yv.subarray((b * H + h) * hd, (b * H + h + 1) * hd), at);
        want.set(ref.subarray(at, at + hd), at);
      }
    }
  }
  return { got, want };
}
