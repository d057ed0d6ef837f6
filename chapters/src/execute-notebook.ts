import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CHAPTERS_ROOT } from './course-manifest';
import { projectPython } from './kernel-spec';
import { cellText, outputText, readNotebook, writeNotebook, type Notebook } from './notebook-file';

export interface CellRun {
  index: number;
  status: 'ok' | 'error' | string;
  seconds: number;
  /** The cell's stderr and error outputs: where tslab reports compile errors and uncaught exceptions. */
  errorText: string;
  source: string;
}

export interface NotebookRun {
  seconds: number;
  cells: CellRun[];
  executed: Notebook;
}

export interface RunOptions {
  /** Folder that holds kernels/tslab/kernel.json (see kernel-spec.ts). */
  jupyterPath: string;
  /** Where the notebook's relative paths resolve: the chapter's folder. */
  workdir: string;
  /** Files of this run: the notebook as run, the executed notebook, the report, the figure data. */
  outDir: string;
  cellTimeoutSeconds?: number;
}

/** Runs a notebook through nbclient and the tslab kernel (run-notebook.py) and collects per-cell outcomes. */
export function executeNotebook(nb: Notebook, o: RunOptions): NotebookRun {
  fs.mkdirSync(o.outDir, { recursive: true });
  const input = path.join(o.outDir, 'input.ipynb');
  const output = path.join(o.outDir, 'executed.ipynb');
  const reportFile = path.join(o.outDir, 'report.json');
  writeNotebook(input, nb);
  const runner = path.join(CHAPTERS_ROOT, 'src', 'run-notebook.py');
  const res = spawnSync(projectPython(), [runner, input, output, reportFile, o.workdir, String(o.cellTimeoutSeconds ?? 300)], {
    encoding: 'utf8',
    env: {
      ...process.env,
      JUPYTER_PATH: o.jupyterPath,
      TF_CPP_MIN_LOG_LEVEL: '2',
      // Nx and CI force colours on; in a notebook they would be escape codes in the saved outputs.
      FORCE_COLOR: '0',
      DECAYLAB_RESULTS_DIR: path.join(o.outDir, 'figures'),
    },
  });
  if (res.status !== 0) {
    const tail = (res.stderr || res.error?.message || '').trim().split('\n').slice(-15).join('\n');
    throw new Error(`executing ${o.workdir} failed before the cells could be checked:\n${tail}`);
  }
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as { seconds: number; cells: { index: number; status: string; seconds: number }[] };
  const executed = readNotebook(output);
  const cells = report.cells.map((c) => {
    const cell = executed.cells[c.index];
    const errs = (cell.outputs ?? []).filter((x) => x.output_type === 'error' || x.name === 'stderr');
    return { ...c, errorText: errs.map(outputText).join(''), source: cellText(cell) };
  });
  return { seconds: report.seconds, cells, executed };
}
