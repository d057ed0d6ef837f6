import type { Visibility } from '../core/assignment';
import type { GradingLimits } from '../core/limits';

// What one autograder zip is set to: the assignment, when tests show, the course website, and the limits. Written
// into the zip as a shell file that run_autograder sources; every value is checked here first (ids and visibility
// come from fixed sets, the URL is parsed), and quoted, so the file cannot carry shell syntax.

export const SETTINGS_FILE = 'decaylab-autograder.env';

export type AutograderSettings = { assignment: string; visibility: Visibility; courseUrl?: string; limits: GradingLimits };

export function settingsFile(s: AutograderSettings): string {
  const vars: [string, string][] = [
    ['DECAYLAB_ASSIGNMENT', s.assignment],
    ['DECAYLAB_TEST_VISIBILITY', s.visibility],
    ['DECAYLAB_COURSE_URL', s.courseUrl ?? ''],
    ['DECAYLAB_TEST_TIMEOUT', String(s.limits.callTimeoutMs / 1000)],
    ['DECAYLAB_SUBMISSION_TIMEOUT', String(s.limits.budgetMs / 1000)],
    ['DECAYLAB_MEMORY_MB', String(s.limits.memoryMb)],
  ];
  const lines = vars.map(([k, v]) => `${k}=${shellQuote(v)}`);
  return `# Written by \`decaylab gradescope\`; sourced by run_autograder.\n${lines.join('\n')}\n`;
}

/** An http(s) URL for links in feedback, or a message saying what is wrong with it. */
export function checkCourseUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `--course-url ${url} is not a URL`;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return `--course-url must be an http(s) URL, not ${parsed.protocol}`;
  return undefined;
}

function shellQuote(v: string): string {
  return `'${v.replace(/'/g, `'\\''`)}'`;
}
