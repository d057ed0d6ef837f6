"""The double-descent sweep of bench/double-descent in NumPy, on data written by the Node side.

Usage: numpy_double_descent.py <data dir> '<json plan>'
  plan = {"grids": {"<name>": {"grid": [N, ...], "draws": k}}, "runs": r, "blasThreads": t or null, "warmup": [N, ...]}
  (the first k draws of the data; blasThreads caps OpenBLAS's threads, null leaves NumPy's default; the warmup grid
  is swept once, untimed, on one draw first, as the Node side does for its own routes)
The data dir holds meta.json and raw little-endian arrays (see bench/src/double-descent/main.ts).
Prints one JSON object on its last line: {"numpy": version, "grids": {name: {"seconds": [...], "points": [...]}}}.
"""
import json
import os
import sys
import time

# OpenBLAS reads OPENBLAS_NUM_THREADS once, when NumPy loads it, so the plan's cap is applied before the import.
PLAN = json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
if PLAN.get("blasThreads") is not None:
    os.environ["OPENBLAS_NUM_THREADS"] = str(PLAN["blasThreads"])

import numpy as np  # noqa: E402


def load(folder):
    with open(os.path.join(folder, "meta.json")) as f:
        meta = json.load(f)

    def arr(name, dtype, shape):
        return np.fromfile(os.path.join(folder, name), dtype=dtype).reshape(shape)

    d, c, n, nt, m = meta["d"], meta["classes"], meta["n"], meta["nTest"], meta["maxFeatures"]
    return {
        "x_train": arr("x_train.f32", "<f4", (n, d)),
        "y_train": arr("y_train.f32", "<f4", (n, c)),
        "x_test": arr("x_test.f32", "<f4", (nt, d)),
        "labels_test": arr("labels_test.i32", "<i4", (nt,)),
        "weights": [arr(f"w{i}.f32", "<f4", (d, m)) for i in range(meta["draws"])],
    }


def sweep(data, grid, draws):
    """Random ReLU features, min-norm least squares (lstsq, SVD-based), test error and norm averaged over draws."""
    out = [{"features": k, "testError": 0.0, "norm": 0.0} for k in grid]
    for w_all in data["weights"][:draws]:
        for point, k in zip(out, grid):
            w = w_all[:, :k]
            phi = np.maximum(data["x_train"] @ w, 0)
            beta = np.linalg.lstsq(phi, data["y_train"], rcond=None)[0]
            predicted = (np.maximum(data["x_test"] @ w, 0) @ beta).argmax(axis=1)
            point["testError"] += float((predicted != data["labels_test"]).mean()) / draws
            point["norm"] += float(np.linalg.norm(beta)) / draws
    return out


def main():
    plan = PLAN
    data = load(sys.argv[1])
    sweep(data, plan.get("warmup", []), 1)
    result = {}
    for name, spec in plan["grids"].items():
        seconds, points = [], None
        for _ in range(plan["runs"]):
            t0 = time.perf_counter()
            points = sweep(data, spec["grid"], spec["draws"])
            seconds.append(time.perf_counter() - t0)
        result[name] = {"seconds": seconds, "points": points}
    print(json.dumps({"numpy": np.__version__, "grids": result}))


if __name__ == "__main__":
    main()
