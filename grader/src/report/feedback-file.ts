import type { Assignment } from '../core/assignment';
import { sectionHref, sectionTitle } from '../core/course-link';
import { misconceptionsOf, type GradedStudent } from '../core/results';

// One student's feedback for release (<out>/feedback/<student>.md): the score, the misconceptions found with the
// course section to reread, and every test's outcome. It holds what results.json shows the student (feedback never
// carries hidden inputs or expected values) and nothing else.

export function feedbackMarkdown(a: Assignment, g: GradedStudent): string {
  const lines = [`# ${a.title}: feedback for ${escapeMd(g.id)}`, '', fenced(g.results.output), ''];
  const found = misconceptionsOf(g).map((id) => a.misconceptions.find((m) => m.id === id)!);
  if (found.length > 0) {
    lines.push('## What to revisit', '');
    for (const m of found) {
      const tests = g.tests.filter((t) => t.misconception === m.id).map((t) => `\`${t.testId}\``);
      lines.push(
        `- \`${m.id.split('.')[0]}\`: ${escapeMd(m.says)}. Reread ${linkMd(sectionTitle(m.section), sectionHref(m.section))} (tests ${tests.join(', ')}).`,
      );
    }
    lines.push('');
  }
  lines.push('## Every test', '');
  a.tests.forEach((spec, i) => {
    const t = g.tests[i];
    lines.push(`- ${t.passed ? 'passed' : '**failed**'} \`${t.testId}\` (${t.score}/${t.maxScore}): ${escapeMd(spec.name)}`);
    if (!t.passed && t.message) lines.push('', indent(fenced(t.message)), '');
  });
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n')}\n`;
}

/** A code block whose fence is longer than any run of backticks in the text, so nothing in it can close it. */
function fenced(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}text\n${text}\n${fence}`;
}

function indent(block: string): string {
  return block
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}

function escapeMd(s: string): string {
  return s.replace(/([\\`*_[\]<>|#])/g, '\\$1');
}

function linkMd(text: string, href: string): string {
  return `[${escapeMd(text)}](${href.replace(/[()\s]/g, encodeURIComponent)})`;
}
