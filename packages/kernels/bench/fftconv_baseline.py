#!/usr/bin/env python3
"""Baselines for packages/kernels/bench/fftconv.bench.ts: the FFT convolution y = irfft(rfft(u)·rfft(k))[:L] + D·u
and its backward in numpy and PyTorch on the CPU (and CUDA when asked and present), timed in this process.

Usage: fftconv_baseline.py '<json>' with {"shapes": [[B, H, L], ...], "reps": 5, "threads": [1, 2], "cpu": true,
"cuda": false}; "cpu": false skips numpy and torch on the CPU.
Prints one JSON object per line: {"lib", "device", "threads", "version", "shape", "fwd_ms", "fwdbwd_ms", "fwd_cpu_ms",
"fwdbwd_cpu_ms", "fwd_min_ms", "fwdbwd_min_ms"} (medians of wall and process CPU time, fastest run), or
{"missing": "<package>", "hint": "..."} for a library that is not installed; never fails for a missing one.
"""
import json
import sys
import time


def timings(fn, reps, sync=lambda: None):
    """(median wall ms, median process CPU ms, fastest wall ms) of reps runs after one warm-up (plans,
    allocations). On a shared machine the CPU time of a 1-thread run does not count the time others held the core,
    and the fastest run is the one least disturbed."""
    fn()
    sync()
    wall, cpu = [], []
    for _ in range(reps):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        sync()
        wall.append((time.perf_counter() - t0) * 1e3)
        cpu.append((time.process_time() - c0) * 1e3)
    wall.sort()
    cpu.sort()
    return wall[len(wall) // 2], cpu[len(cpu) // 2], wall[0]


def timing_fields(fwd, fwdbwd, reps, sync=lambda: None):
    f, fc, fm = timings(fwd, reps, sync)
    fb, fbc, fbm = timings(fwdbwd, reps, sync)
    return {"fwd_ms": f, "fwdbwd_ms": fb, "fwd_cpu_ms": fc, "fwdbwd_cpu_ms": fbc, "fwd_min_ms": fm, "fwdbwd_min_ms": fbm}


def fft_len(length):
    n = 4
    while n < 2 * length - 1:
        n *= 2
    return n


def bench_numpy(shapes, reps):
    try:
        import numpy as np
    except ImportError:
        print(json.dumps({"missing": "numpy", "hint": "apt-get install python3-numpy"}), flush=True)
        return
    rng = np.random.default_rng(0)
    for b, h, length in shapes:
        n = fft_len(length)
        u, dy = (rng.standard_normal((b, h, length), dtype=np.float32) for _ in range(2))
        k = rng.standard_normal((h, length), dtype=np.float32)
        d = rng.standard_normal(h, dtype=np.float32)

        def fwd():
            kf = np.fft.rfft(k, n=n)
            return np.fft.irfft(np.fft.rfft(u, n=n) * kf, n=n)[..., :length] + d[:, None] * u

        def fwdbwd():
            kf = np.fft.rfft(k, n=n)
            uf = np.fft.rfft(u, n=n)
            y = np.fft.irfft(uf * kf, n=n)[..., :length] + d[:, None] * u
            gf = np.fft.rfft(dy, n=n)
            du = np.fft.irfft(gf * np.conj(kf), n=n)[..., :length] + d[:, None] * dy
            dk = np.fft.irfft((gf * np.conj(uf)).sum(axis=0), n=n)[..., :length]
            dd = (dy * u).sum(axis=(0, 2))
            return y, du, dk, dd

        print(json.dumps({"lib": "numpy", "device": "cpu", "threads": 1, "version": np.__version__, "shape": [b, h, length],
                          **timing_fields(fwd, fwdbwd, reps)}), flush=True)


def bench_torch(shapes, reps, threads, cpu, cuda):
    try:
        import torch
    except ImportError:
        print(json.dumps({"missing": "torch", "hint": "apt-get install python3-torch"}), flush=True)
        return
    devices = [("cpu", t) for t in threads] if cpu else []
    if cuda:
        if torch.cuda.is_available():
            devices.append(("cuda", 0))
        else:
            print(json.dumps({"missing": "torch.cuda", "hint": "no CUDA device visible to PyTorch"}), flush=True)
    for device, nthreads in devices:
        if device == "cpu":
            torch.set_num_threads(nthreads)
        sync = torch.cuda.synchronize if device == "cuda" else (lambda: None)
        gen = torch.Generator(device="cpu").manual_seed(0)
        for b, h, length in shapes:
            n = fft_len(length)
            u, dy = (torch.randn(b, h, length, generator=gen).to(device) for _ in range(2))
            k = torch.randn(h, length, generator=gen).to(device)
            d = torch.randn(h, generator=gen).to(device)

            def conv(u, k, d):
                y = torch.fft.irfft(torch.fft.rfft(u, n=n) * torch.fft.rfft(k, n=n), n=n)[..., :length]
                return y + d[:, None] * u

            def fwd():
                with torch.no_grad():
                    return conv(u, k, d)

            def fwdbwd():
                ug, kg, dg = (t.detach().requires_grad_() for t in (u, k, d))
                conv(ug, kg, dg).backward(dy)
                return ug.grad, kg.grad, dg.grad

            print(json.dumps({"lib": "torch", "device": device, "threads": nthreads, "version": torch.__version__,
                              "shape": [b, h, length], **timing_fields(fwd, fwdbwd, reps, sync)}), flush=True)


def main():
    cfg = json.loads(sys.argv[1])
    shapes, reps = cfg["shapes"], cfg.get("reps", 5)
    cpu = cfg.get("cpu", True)
    if cpu:
        bench_numpy(shapes, reps)
    bench_torch(shapes, reps, cfg.get("threads", [1]), cpu, cfg.get("cuda", False))


if __name__ == "__main__":
    main()
