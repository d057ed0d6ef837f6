import * as fs from 'fs';
import * as path from 'path';
import { Option, type Command } from 'commander';
import { VISIBILITIES, type Visibility } from '../core/assignment';
import { UsageError } from '../core/errors';
import { buildAutograderZip } from '../gradescope/autograder-zip';
import { checkCourseUrl } from '../gradescope/autograder-settings';
import { limitsFrom, needAssignment, positiveInt, positiveNumber, type LimitFlags } from './options';
import { print } from './output';

// `decaylab gradescope`: builds the autograder zip for Gradescope's "zip file upload" (see grader/README.md for the
// settings to choose there). Its limits default lower than grade's, to fit Gradescope's default 768 MB container.

type GradescopeFlags = LimitFlags & { assignment: string; out: string; visibility: Visibility; courseUrl?: string };

export function gradescopeCommand(program: Command): void {
  program
    .command('gradescope')
    .description("build the autograder zip for Gradescope: setup.sh, run_autograder and the grader's sources")
    .requiredOption('--assignment <id>', 'assignment id (see `decaylab assignments`)')
    .requiredOption('--out <autograder.zip>', 'where to write the zip')
    .addOption(
      new Option('--visibility <when>', 'when students see each test and its feedback (after_due_date holds them back until the deadline)')
        .choices(VISIBILITIES)
        .default('visible'),
    )
    .option('--course-url <url>', "the course website's address, for the links in feedback (relative links without it)")
    .addOption(new Option('--test-timeout <seconds>', 'wall-clock limit of one call into the submission').argParser(positiveNumber).default(10))
    .addOption(new Option('--submission-timeout <seconds>', 'wall-clock budget of the submission over all tests').argParser(positiveNumber).default(240))
    .addOption(new Option('--memory <mb>', "resident memory limit of the student's code, tfjs included").argParser(positiveInt).default(384))
    .action(async (opts: GradescopeFlags) => {
      const a = needAssignment(opts.assignment);
      if (!opts.out.endsWith('.zip')) throw new UsageError(`--out ${opts.out} should name a .zip file`);
      const urlProblem = opts.courseUrl === undefined ? undefined : checkCourseUrl(opts.courseUrl);
      if (urlProblem) throw new UsageError(urlProblem);
      const built = await buildAutograderZip(
        repoRoot(),
        { assignment: a.id, visibility: opts.visibility, courseUrl: opts.courseUrl, limits: limitsFrom(opts) },
        opts.out,
      );
      print(
        `wrote ${built.file} (${built.entries} files, ${(built.bytes / 1e6).toFixed(1)} MB) for ${a.id}; tests shown: ${opts.visibility}\n` +
          'upload it under Configure Autograder > Zip file upload (Ubuntu 22.04 base image); grader/README.md lists the settings\n',
      );
    });
}

/** The repository the grader runs from: the nearest folder above it whose package.json lists grader as a workspace. */
function repoRoot(): string {
  for (let dir = path.resolve(__dirname, '..', '..', '..'); ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { workspaces?: string[] }).workspaces?.includes('grader')) return dir;
    if (path.dirname(dir) === dir) throw new UsageError('cannot find the DecayLab repository around the grader (a package.json with the grader workspace)');
  }
}
