#!/usr/bin/env python3
"""PyTorch-CPU peer of packages/models/bench/train-step.bench.ts: one training step (forward, cross-entropy,
backward, AdamW with the SSM parameter groups) of the hybrid H3 LM written from the design reference
(shared/design/h3-reference.md §1-§3, §6), the same shapes and parameter count as Hippo's HybridLM.

Usage: h3_tiny_step.py '<json>' with {"d_model": 128, "n_layer": 4, "attn_layer_idx": [2], "heads": 4,
"vocab": 50257, "pad_multiple": 8, "d_state": 64, "batch": 8, "seq": 128, "threads": 1, "warmup": 1, "reps": 5,
"lr": 6e-4, "weight_decay": 0.1}. One thread count per process: OpenBLAS (Debian's torch calls it for matmuls)
reads its thread count when it loads and torch.set_num_threads does not reach it.
Prints one JSON line {"params": n, "loss0": x, "version": v, "attention": how, "blas": libs, "threads", "step_ms",
"fwd_ms", "bwd_ms", "opt_ms", "step_cpu_ms", "times_ms", "loss"} (medians over reps of wall time, and of process
CPU time for the whole step), or {"missing": "torch", "hint": ...}.
"""
import json
import math
import os
import sys
import time

CFG = json.loads(sys.argv[1])
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(CFG["threads"])  # before torch loads its BLAS


def build(torch, cfg):
    nn = torch.nn
    F = torch.nn.functional
    d, N, n_layer = cfg["d_model"], cfg["d_state"], cfg["n_layer"]
    v_pad = math.ceil(cfg["vocab"] / cfg["pad_multiple"]) * cfg["pad_multiple"]
    std, out_std = 0.02, 0.02 / math.sqrt(2 * n_layer)
    sdpa = getattr(F, "scaled_dot_product_attention", None)

    def attention(q, k, v):
        # torch >= 2.0: the public function; 1.13: the same kernel under its private name (returns (out, weights))
        if sdpa is not None:
            return sdpa(q, k, v, is_causal=True)
        return F._scaled_dot_product_attention(q, k, v, None, 0.0, False, True)[0]

    def linear(n_in, n_out, w_std=std):
        lin = nn.Linear(n_in, n_out)
        nn.init.normal_(lin.weight, 0.0, w_std)
        nn.init.zeros_(lin.bias)
        return lin

    def fftconv(u, k, D):
        """u [B, H, L], k [H, Lk ≤ L], D [H] → causal conv, FFT of size 2L (no wrap-around) + D·u."""
        L = u.shape[-1]
        n = 2 * L
        y = torch.fft.irfft(torch.fft.rfft(u, n=n) * torch.fft.rfft(k, n=n), n=n)[..., :L]
        return y + D[:, None] * u

    class ShiftKernel(nn.Module):
        """§2: A = shift, B [d, N] (init e1), C [1, d, N] ~ U(±1/√N); k[j] = Σ_m B[m] C[m+j], j < N."""

        def __init__(self):
            super().__init__()
            B = torch.zeros(d, N)
            B[:, 0] = 1.0
            self.B = nn.Parameter(B)
            self.C = nn.Parameter(torch.empty(1, d, N).uniform_(-1 / math.sqrt(N), 1 / math.sqrt(N)))

        def forward(self, L):
            n = 2 * N
            k = torch.fft.irfft(torch.conj(torch.fft.rfft(self.B, n=n)) * torch.fft.rfft(self.C[0], n=n), n=n)[..., :N]
            return k[..., :L]

    class S4DKernel(nn.Module):
        """§1: bilinear discretisation, K[h, l] = 2 Re Σ_n C B̄ Ā^l as a Vandermonde product exp(l·log Ā)."""

        def __init__(self, H):
            super().__init__()
            M = N // 2
            self.log_dt = nn.Parameter(torch.empty(H).uniform_(math.log(0.001), math.log(0.1)))
            self.inv_A_real = nn.Parameter(torch.full((H, M), math.log(0.5)))
            self.A_imag = nn.Parameter(math.pi * torch.arange(M, dtype=torch.float32).repeat(H, 1))
            self.B = nn.Parameter(torch.stack([torch.ones(H, M), torch.zeros(H, M)], -1))
            self.C = nn.Parameter(torch.randn(1, H, M, 2) * math.sqrt(0.5))

        def forward(self, L):
            dt = torch.exp(self.log_dt)[:, None]  # [H, 1]
            A = torch.complex(-torch.exp(self.inv_A_real), self.A_imag)  # [H, M]
            half = dt * A / 2
            A_bar = (1 + half) / (1 - half)
            B_bar = dt * torch.view_as_complex(self.B) / (1 - half)
            coef = torch.view_as_complex(self.C[0]) * B_bar  # [H, M]
            pos = torch.arange(L, dtype=torch.float32)
            vander = torch.exp(torch.log(A_bar)[..., None] * pos)  # [H, M, L]
            return 2 * torch.einsum("hm,hml->hl", coef, vander).real

    class H3(nn.Module):
        """§3 with head_dim 1: q, k, v; K̃ = shiftconv(K) + ssm_k_D K; Y = diagconv(K̃ ⊙ V) + D (K̃ ⊙ V); out(Q ⊙ Y)."""

        def __init__(self):
            super().__init__()
            self.q_proj, self.k_proj, self.v_proj = linear(d, d), linear(d, d), linear(d, d)
            self.ssm_k_kernel = ShiftKernel()
            self.ssm_k_D = nn.Parameter(torch.randn(d))
            self.kernel = S4DKernel(d)
            self.D = nn.Parameter(torch.randn(d))
            self.output_linear = linear(d, d)

        def forward(self, x):
            L = x.shape[1]
            q, k, v = (p(x).transpose(1, 2) for p in (self.q_proj, self.k_proj, self.v_proj))  # [B, d, L]
            k_shift = fftconv(k, self.ssm_k_kernel(L), self.ssm_k_D)
            s = fftconv(k_shift * v, self.kernel(L), self.D)
            return self.output_linear((q * s).transpose(1, 2))

        def ssm_parameters(self):
            kk = self.kernel
            return [kk.log_dt, kk.inv_A_real, kk.A_imag, kk.B, self.ssm_k_kernel.B]

    class MHA(nn.Module):
        """§6.3: fused Wqkv split as (three, heads, head_dim), causal, out_proj re-initialised with out_std."""

        def __init__(self):
            super().__init__()
            self.heads = cfg["heads"]
            self.Wqkv = linear(d, 3 * d)
            self.out_proj = linear(d, d, out_std)

        def forward(self, x):
            B, L, _ = x.shape
            qkv = self.Wqkv(x).view(B, L, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
            o = attention(qkv[0], qkv[1], qkv[2])  # [B, heads, L, hd]
            return self.out_proj(o.transpose(1, 2).reshape(B, L, d))

        def ssm_parameters(self):
            return []

    class Block(nn.Module):
        """§6.1 pre-norm: r ← r + drop1(h); h = mixer(LN1(r)); r ← r + drop2(h); h = MLP(LN2(r))."""

        def __init__(self, i):
            super().__init__()
            self.dropout1 = nn.Dropout(0.1 if i == 0 else 0.0)  # block 0's dropout1 is the embedding dropout
            self.norm1 = nn.LayerNorm(d, eps=1e-5)
            self.mixer = MHA() if i in cfg["attn_layer_idx"] else H3()
            self.dropout2 = nn.Dropout(0.0)
            self.norm2 = nn.LayerNorm(d, eps=1e-5)
            self.fc1 = linear(d, 4 * d)
            self.fc2 = linear(4 * d, d, out_std)

        def forward(self, residual, hidden):
            dropped = self.dropout1(hidden)
            residual = dropped if residual is None else residual + dropped
            residual = residual + self.dropout2(self.mixer(self.norm1(residual)))
            return residual, self.fc2(F.gelu(self.fc1(self.norm2(residual)), approximate="tanh"))

    class HybridLM(nn.Module):
        def __init__(self):
            super().__init__()
            self.word_embeddings = nn.Embedding(v_pad, d)
            nn.init.normal_(self.word_embeddings.weight, 0.0, std)
            self.layers = nn.ModuleList(Block(i) for i in range(n_layer))
            self.ln_f = nn.LayerNorm(d, eps=1e-5)

        def forward(self, ids):
            residual, hidden = None, self.word_embeddings(ids)
            for block in self.layers:
                residual, hidden = block(residual, hidden)
            h = self.ln_f(residual + hidden)
            return h @ self.word_embeddings.weight.t()  # tied LM head, no bias: [B, L, V_pad]

        def ssm_parameters(self):
            return [p for b in self.layers for p in b.mixer.ssm_parameters()]

    return HybridLM(), v_pad


def param_groups(model, lr, weight_decay):
    """ssmParamGroups of @hippo/ssm-layers: the SSM parameters at lr min(1e-3, lr) without weight decay."""
    special = {id(p) for p in model.ssm_parameters()}
    rest = [p for p in model.parameters() if id(p) not in special]
    return [
        {"params": rest, "lr": lr, "weight_decay": weight_decay},
        {"params": model.ssm_parameters(), "lr": min(1e-3, lr), "weight_decay": 0.0},
    ]


def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2]


def main():
    cfg = CFG
    try:
        import torch
    except ImportError:
        print(json.dumps({"missing": "torch", "hint": "apt-get install python3-torch"}), flush=True)
        return
    threads = cfg["threads"]
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model, v_pad = build(torch, cfg)
    model.train()
    F = torch.nn.functional
    B, L = cfg["batch"], cfg["seq"]
    gen = torch.Generator().manual_seed(1)
    ids = torch.randint(cfg["vocab"], (B, L), generator=gen)
    targets = torch.randint(cfg["vocab"], (B * L,), generator=gen)
    opt = torch.optim.AdamW(param_groups(model, cfg["lr"], cfg["weight_decay"]), betas=(0.9, 0.999), eps=1e-8)
    how = "F.scaled_dot_product_attention" if hasattr(F, "scaled_dot_product_attention") else "F._scaled_dot_product_attention (torch < 2.0)"

    def step():
        t0 = time.perf_counter()
        loss = F.cross_entropy(model(ids).view(B * L, v_pad), targets)
        t1 = time.perf_counter()
        loss.backward()
        t2 = time.perf_counter()
        opt.step()
        opt.zero_grad(set_to_none=True)
        t3 = time.perf_counter()
        return loss.item(), ((t1 - t0) * 1e3, (t2 - t1) * 1e3, (t3 - t2) * 1e3)

    loss0, _ = step()  # the first step's loss, at the random initialisation
    for _ in range(cfg["warmup"]):
        step()
    rows, cpu = [], []
    for _ in range(cfg["reps"]):
        c0 = time.process_time()
        loss, phases = step()
        cpu.append((time.process_time() - c0) * 1e3)
        rows.append(phases)
    with open("/proc/self/maps") as maps:
        blas = sorted({os.path.basename(line.split()[-1]) for line in maps if "blas" in line.lower() and line.split()[-1].startswith("/")})
    print(json.dumps({
        "params": sum(p.numel() for p in model.parameters()),
        "loss0": loss0,
        "version": torch.__version__,
        "attention": how,
        "blas": ", ".join(blas) or "unknown",
        "threads": threads,
        "step_ms": median([sum(r) for r in rows]),
        "fwd_ms": median([r[0] for r in rows]),
        "bwd_ms": median([r[1] for r in rows]),
        "opt_ms": median([r[2] for r in rows]),
        "step_cpu_ms": median(cpu),
        "times_ms": [round(sum(r), 1) for r in rows],
        "loss": loss,
    }), flush=True)

if __name__ == "__main__":
    main()
