"""Executes one notebook headless with nbclient and writes the executed notebook plus a per-cell report.

usage: run-notebook.py <input.ipynb> <output.ipynb> <report.json> <working-dir> <cell-timeout-seconds>

Every cell runs even after an error (allow_errors), so the caller sees all failures; the report lists each code
cell's index, status ('ok' or 'error') and seconds. tslab drops requests that arrive within 200 ms of a failed cell
(it resets its queue, tslab issue #19), so we pause 0.3 s after an error before the next cell.

A kernel that does not answer within nbclient's start-up timeout is shut down and another one started, twice at most:
tslab is ready in about 3 s even with every core busy, so a silent kernel is one that lost its start (in a CI run with
other test projects alongside, one never answered), not one that is slow.
"""
import json
import sys
import time

import nbformat
from nbclient import NotebookClient

KERNEL_START_ATTEMPTS = 3


def started_client(make_client):
    """A client whose kernel has answered; execute() then runs the cells on that kernel and shuts it down."""
    for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
        client = make_client()
        client.create_kernel_manager()  # sets client.km
        try:
            client.start_new_kernel()
            client.start_new_kernel_client()
            return client
        except RuntimeError as e:
            # nbclient has shut that kernel down already.
            if attempt == KERNEL_START_ATTEMPTS:
                raise
            print(f'run-notebook: the kernel did not start ({e}); starting another', file=sys.stderr)


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

    t0 = time.perf_counter()
    client = started_client(lambda: NotebookClient(nb, kernel_name='tslab', timeout=timeout, allow_errors=True,
                                                   resources={'metadata': {'path': workdir}},
                                                   on_cell_execute=on_cell_execute, on_cell_executed=on_cell_executed))
    client.execute()
    nbformat.write(nb, dst)
    with open(report_path, 'w') as f:
        json.dump({'seconds': round(time.perf_counter() - t0, 3), 'cells': report}, f)


if __name__ == '__main__':
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
