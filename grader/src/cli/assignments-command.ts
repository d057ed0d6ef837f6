import type { Command } from 'commander';
import { assignments } from '../assignments/registry';
import { maxScore, type Assignment } from '../core/assignment';
import { print } from './output';

// `decaylab assignments`: every assignment with its tests and points (the points' one source, the assignment's index).

export function assignmentsCommand(program: Command): void {
  program
    .command('assignments')
    .description('list the assignments with their tests and points')
    .action(() => {
      for (const a of assignments) print(describeAssignment(a));
    });
}

function describeAssignment(a: Assignment): string {
  const lines = a.tests.map((t) => `  ${String(t.points).padStart(2)}  ${t.id.padEnd(28)} ${t.name}`);
  return `${a.id}: ${a.title} (${maxScore(a)} points; exports ${a.exports.join(', ')})\n${lines.join('\n')}\n\n`;
}
