// What one copy-on-write page fault costs on this machine: the price a forked grading worker pays for every page of
// the zygote it writes to. A parent fills a private anonymous mapping, then forks children that each write one byte
// to every stride-th page, either faulting page by page or after asking the kernel to populate the pages first
// (MADV_POPULATE_WRITE, Linux 5.14+); "fresh" writes a new mapping of the child's own instead (zero-fill faults, no
// copy). Each child prints its time per page.
//
//   cc -O2 -o /tmp/cow-fault bench/native/cow-fault.c && for m in fault populate fresh; do /tmp/cow-fault 48 1 $m; done
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

enum { PAGE = 4096, CHILDREN = 5 };

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

enum Mode { FAULT, POPULATE, FRESH };
static const char *const MODES[] = {"fault", "populate", "fresh"};

static void child(char *p, size_t bytes, size_t stride, enum Mode mode) {
  size_t pages = bytes / PAGE / stride;
  if (mode == FRESH) p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) {
    perror("mmap");
    _exit(1);
  }
  double t0 = now_ms();
  // One call for the whole range when every page is written, one per written page otherwise.
  size_t len = stride == 1 ? bytes : PAGE, step = stride == 1 ? bytes : PAGE * stride;
  for (size_t off = 0; mode == POPULATE && off < bytes; off += step) {
    if (madvise(p + off, len, MADV_POPULATE_WRITE) != 0) {
      perror("madvise(MADV_POPULATE_WRITE)");
      _exit(1);
    }
  }
  double t1 = now_ms();
  for (size_t off = 0; off < bytes; off += PAGE * stride) p[off] = 2;
  double t2 = now_ms();
  printf("%s, %zu pages written: populate %.1f ms, writes %.1f ms, %.2f us per page\n", MODES[mode], pages, t1 - t0,
         t2 - t1, (t2 - t0) * 1000 / pages);
  fflush(stdout);
  _exit(0);
}

int main(int argc, char **argv) {
  int mode = -1;
  for (int m = FAULT; argc == 4 && m <= FRESH; m++)
    if (strcmp(argv[3], MODES[m]) == 0) mode = m;
  if (mode < 0) {
    fprintf(stderr, "usage: %s <MiB> <stride in pages> fault|populate|fresh\n", argv[0]);
    return 2;
  }
  size_t bytes = (size_t)atoi(argv[1]) << 20, stride = (size_t)atoi(argv[2]);
  if (bytes == 0 || stride == 0) {
    fprintf(stderr, "%s: MiB and stride must be positive\n", argv[0]);
    return 2;
  }
  char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) {
    perror("mmap");
    return 1;
  }
  memset(p, 1, bytes);
  for (int i = 0; i < CHILDREN; i++) {
    pid_t pid = fork();
    if (pid < 0) {
      perror("fork");
      return 1;
    }
    if (pid == 0) child(p, bytes, stride, (enum Mode)mode);
    int status;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return 1;
  }
  return 0;
}
