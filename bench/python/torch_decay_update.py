"""Times one torch.optim step (AdamW and SGD with weight decay, foreach and fused) per parameter count.

Usage: torch_decay_update.py '<json plan>'   plan = {"sizes": [...], "plans": {"<size>": {"warmup": w, "runs": r}}}
Prints one JSON object on its last line:
{"torch": version, "threads": n, "copy_gbps": [...], "results": [{size, impl, ms | error}]}.
"""
import json
import sys
import time

import torch


def time_step(make_opt, size, warmup, runs):
    gen = torch.Generator().manual_seed(size)
    p = torch.nn.Parameter(torch.randn(size, generator=gen))
    p.grad = torch.randn(size, generator=gen)
    opt = make_opt([p])
    for _ in range(warmup):
        opt.step()
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter_ns()
        opt.step()
        samples.append((time.perf_counter_ns() - t0) / 1e6)
    return samples


IMPLS = {
    "AdamW foreach": lambda ps: torch.optim.AdamW(ps, lr=1e-3, weight_decay=1e-2, foreach=True),
    "AdamW fused": lambda ps: torch.optim.AdamW(ps, lr=1e-3, weight_decay=1e-2, fused=True),
    "SGD foreach": lambda ps: torch.optim.SGD(ps, lr=1e-3, weight_decay=1e-2, foreach=True),
    "SGD fused": lambda ps: torch.optim.SGD(ps, lr=1e-3, weight_decay=1e-2, fused=True),
}


def copy_bandwidth(megabytes, runs):
    """GB/s (bytes read + written) of a multi-threaded tensor copy much larger than the last-level cache."""
    n = megabytes * 2**20 // 4
    src = torch.ones(n)
    dst = torch.zeros(n)
    dst.copy_(src)
    out = []
    for _ in range(runs):
        t0 = time.perf_counter_ns()
        dst.copy_(src)
        out.append(2 * n * 4 / ((time.perf_counter_ns() - t0) / 1e9) / 1e9)
    return out


def main():
    plan = json.loads(sys.argv[1])
    results = []
    for size in plan["sizes"]:
        p = plan["plans"][str(size)]
        for impl, make in IMPLS.items():
            try:
                results.append({"size": size, "impl": impl, "ms": time_step(make, size, p["warmup"], p["runs"])})
            except Exception as e:  # an unsupported variant is reported, not fatal
                results.append({"size": size, "impl": impl, "error": f"{type(e).__name__}: {e}"})
    copy = copy_bandwidth(plan.get("copy_megabytes", 256), 9)
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "copy_gbps": copy, "results": results}))


if __name__ == "__main__":
    main()
