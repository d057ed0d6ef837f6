"""Executes one notebook headless with nbclient and writes the executed notebook plus a per-cell report.

usage: run-notebook.py <input.ipynb> <output.ipynb> <report.json> <working-dir> <cell-timeout-seconds>

Every cell runs even after an error (allow_errors), so the caller sees all failures; the report lists each code
cell's index, status ('ok' or 'error') and seconds. tslab drops requests that arrive within 200 ms of a failed cell
(it resets its queue, tslab issue #19), so we pause 0.3 s after an error before the next cell.
"""
import json
import sys
import time

import nbformat
from nbclient import NotebookClient


def main(src, dst, report_path, workdir, timeout):
    nb = nbformat.read(src, as_version=4)
    report = []
    started = {}

    def on_cell_execute(cell, cell_index, **_):
        started[cell_index] = time.perf_counter()

    def on_cell_executed(cell, cell_index, execute_reply, **_):
        status = execute_reply['content'].get('status', 'error')
        report.append({'index': cell_index, 'status': status,
                       'seconds': round(time.perf_counter() - started.get(cell_index, time.perf_counter()), 3)})
        if status != 'ok':
            time.sleep(0.3)

    client = NotebookClient(nb, kernel_name='tslab', timeout=timeout, allow_errors=True,
                            resources={'metadata': {'path': workdir}},
                            on_cell_execute=on_cell_execute, on_cell_executed=on_cell_executed)
    t0 = time.perf_counter()
    client.execute()
    nbformat.write(nb, dst)
    with open(report_path, 'w') as f:
        json.dump({'seconds': round(time.perf_counter() - t0, 3), 'cells': report}, f)


if __name__ == '__main__':
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
