// Standard output for every command: when its reader goes away early (`decaylab assignments | head -1`), the rest
// of the output is dropped quietly and the command carries on to its normal end; a batch keeps grading and writing
// its results files.

let readerGone = false;

process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  readerGone = true;
  if (e.code !== 'EPIPE') process.stderr.write(`decaylab: standard output failed (${e.message}); the rest of it is dropped\n`);
});

export function print(text: string): void {
  if (!readerGone) process.stdout.write(text);
}
