"""Peer timings for bench/wasm-attention.bench.ts: causal attention and KV-cache decoding in PyTorch on the CPU.

Usage: python3 attention_peer.py '<json>' with {"causal": [[BH, L, hd], ...], "decode": [[B, H, M, hd], ...],
"reps": 5, "threads": [1, 2]}.
Prints one JSON object per line: {"impl", "version", "threads", "kind", "shape", "fwd_ms", "fwdbwd_ms", "fwd_cpu_ms",
"fwdbwd_cpu_ms"} (medians of wall and process CPU time over reps after one warm-up; fwdbwd null for decode), or {"missing": "torch", "hint": ...}. impl is "torch-sdpa"
(torch.nn.functional.scaled_dot_product_attention, is_causal=True; PyTorch >= 2.0) or, where that function does not
exist, "torch-math": the same maths in plain ops (q·kᵀ·scale, causal mask, softmax, ·v), which is what SDPA's math
backend computes.
"""
import json
import math
import sys
import time


def median_ms(fn, reps):
    """(median wall ms, median process CPU ms) of reps runs after one warm-up: on a shared machine the CPU time
    of a 1-thread run leaves out the time other processes held the core."""
    fn()
    wall, cpu = [], []
    for _ in range(reps):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - t0) * 1e3)
        cpu.append((time.process_time() - c0) * 1e3)
    wall.sort()
    cpu.sort()
    return wall[len(wall) // 2], cpu[len(cpu) // 2]


cfg = json.loads(sys.argv[1])
try:
    import torch
    import torch.nn.functional as F
except ImportError:
    print(json.dumps({"missing": "torch", "hint": "apt-get install python3-torch"}))
    sys.exit(0)

sdpa = getattr(F, "scaled_dot_product_attention", None)
impl = "torch-sdpa" if sdpa else "torch-math"


def causal(q, k, v):
    if sdpa:
        return sdpa(q, k, v, is_causal=True)
    s = (q @ k.transpose(-1, -2)) * (1 / math.sqrt(q.shape[-1]))
    n = q.shape[-2]
    s = s.masked_fill(torch.ones(n, n, dtype=torch.bool).triu(1), float("-inf"))
    return torch.softmax(s, dim=-1) @ v


def decode(q, kc, vc):
    # q [B·H, 1, hd] against the full cache [B·H, M, hd]: no mask
    if sdpa:
        return sdpa(q, kc, vc)
    return torch.softmax((q @ kc.transpose(-1, -2)) * (1 / math.sqrt(q.shape[-1])), dim=-1) @ vc


torch.manual_seed(0)
reps = cfg.get("reps", 5)
for threads in cfg.get("threads", [1, 2]):
    torch.set_num_threads(threads)
    row = {"impl": impl, "version": torch.__version__, "threads": threads}
    for bh, length, hd in cfg.get("causal", []):
        q, k, v, dout = (torch.randn(bh, length, hd) for _ in range(4))
        with torch.no_grad():
            fwd, fwd_cpu = median_ms(lambda: causal(q, k, v), reps)
        qg, kg, vg = (x.clone().requires_grad_() for x in (q, k, v))

        def fwdbwd():
            causal(qg, kg, vg).backward(dout)

        fb, fb_cpu = median_ms(fwdbwd, reps)
        times = {"fwd_ms": fwd, "fwdbwd_ms": fb, "fwd_cpu_ms": fwd_cpu, "fwdbwd_cpu_ms": fb_cpu}
        print(json.dumps({**row, "kind": "causal", "shape": [bh, length, hd], **times}), flush=True)
    for b, h, m, hd in cfg.get("decode", []):
        q, kc, vc = torch.randn(b * h, 1, hd), torch.randn(b * h, m, hd), torch.randn(b * h, m, hd)
        with torch.no_grad():
            fwd, fwd_cpu = median_ms(lambda: decode(q, kc, vc), reps * 20)
        times = {"fwd_ms": fwd, "fwdbwd_ms": None, "fwd_cpu_ms": fwd_cpu, "fwdbwd_cpu_ms": None}
        print(json.dumps({**row, "kind": "decode", "shape": [b, h, m, hd], **times}), flush=True)
