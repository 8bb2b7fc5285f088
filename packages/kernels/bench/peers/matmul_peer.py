"""Peer timings for bench/wasm-matmul.bench.ts: float32 matmul in numpy and PyTorch on the CPU.

Usage: python3 matmul_peer.py M N K transB reps threads
Prints one JSON line: {"numpy_ms", "torch_ms" (median of reps, null where the library is missing),
"blas": the BLAS library numpy loaded, "torch_blas": torch's build setting}. The thread count must be set
before numpy loads its BLAS, so the caller runs this script once per thread count.
"""
import json
import os
import statistics
import sys
import time

M, N, K, trans_b, reps, threads = (int(v) for v in sys.argv[1:7])
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(threads)


def median_ms(fn):
    fn()  # warm-up
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


out = {"numpy_ms": None, "torch_ms": None, "blas": None, "torch_blas": None}
try:
    import numpy as np

    rng = np.random.default_rng(0)
    a = rng.standard_normal((M, K), dtype=np.float32)
    b = rng.standard_normal((N, K) if trans_b else (K, N), dtype=np.float32)
    out["numpy_ms"] = median_ms(lambda: a @ (b.T if trans_b else b))
    with open("/proc/self/maps") as maps:
        libs = sorted({line.split()[-1] for line in maps if "blas" in line.lower() and line.split()[-1].startswith("/")})
    out["blas"] = ", ".join(os.path.realpath(p) for p in libs) or "unknown"
except ImportError:
    pass
try:
    import torch

    torch.set_num_threads(threads)
    ta = torch.randn(M, K)
    tb = torch.randn(N, K) if trans_b else torch.randn(K, N)
    with torch.no_grad():
        out["torch_ms"] = median_ms(lambda: ta @ (tb.t() if trans_b else tb))
    cfg = torch.__config__.show()
    out["torch_blas"] = next((p.split("=")[1] for p in cfg.replace(",", " ").split() if p.startswith("BLAS_INFO=")), "unknown")
except ImportError:
    pass
print(json.dumps(out))
