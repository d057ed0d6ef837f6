import { residentMb } from './resident-memory';

// The memory limit reads VmRSS (kB), not statm pages times an assumed 4 KiB page.

test("a process's resident memory agrees with node's own figure and follows an allocation", () => {
  const before = residentMb(process.pid);
  expect(Math.abs(before - process.memoryUsage().rss / 2 ** 20)).toBeLessThan(0.1 * before + 8);
  const block = Buffer.alloc(256 * 2 ** 20, 1);
  const after = residentMb(process.pid);
  expect(after - before).toBeGreaterThan(200);
  expect(block[block.length - 1]).toBe(1);
});

test('a process that does not exist uses nothing', () => {
  expect(residentMb(2 ** 22 + 1)).toBe(0);
});
