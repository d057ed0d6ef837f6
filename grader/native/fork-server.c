#define _GNU_SOURCE
// The native half of the grader's fork server (grader/src/sandbox/zygote.ts). Node has no API to fork a running
// process; this addon provides the few system calls the zygote needs, so that each student's worker starts as a
// copy of a process that has already loaded tfjs and libtensorflow instead of paying that load again.
#include <dirent.h>
#include <dlfcn.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <node_api.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <uv.h>

static napi_value throw_errno(napi_env env, const char *what) {
  char msg[256];
  snprintf(msg, sizeof msg, "%s: %s", what, strerror(errno));
  napi_throw_error(env, NULL, msg);
  return NULL;
}

static int int_arg(napi_env env, napi_callback_info info, int fallback) {
  size_t argc = 1;
  napi_value argv[1];
  int value = fallback;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc >= 1) napi_get_value_int32(env, argv[0], &value);
  return value;
}

// dlopen with RTLD_NOW: relocations and static initialisers (libtensorflow's op and kernel registries) run once, in
// the zygote, and every child inherits the result.
static napi_value Preload(napi_env env, napi_callback_info info) {
  size_t argc = 1, len;
  napi_value argv[1];
  char path[4096];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 1 || napi_get_value_string_utf8(env, argv[0], path, sizeof path, &len) != napi_ok) {
    napi_throw_type_error(env, NULL, "preload(path: string)");
    return NULL;
  }
  if (!dlopen(path, RTLD_NOW | RTLD_GLOBAL)) {
    napi_throw_error(env, NULL, dlerror());
    return NULL;
  }
  return NULL;
}

// TensorFlow builds its op registry at the first lookup of an op (about 30 ms of CPU) and its kernel registry at the
// first kernel it places (about 25 ms). Listing all of each here builds both once, in the zygote, so every forked
// worker inherits them built instead of building them again at its first op. Neither listing starts a thread.
typedef void *(*tf_new_fn)(void);
typedef void *(*tf_list_fn)(void *status);
typedef void (*tf_delete_fn)(void *);

static napi_value BuildRegistries(napi_env env, napi_callback_info info) {
  tf_new_fn all_ops = (tf_new_fn)dlsym(RTLD_DEFAULT, "TF_GetAllOpList");
  tf_list_fn all_kernels = (tf_list_fn)dlsym(RTLD_DEFAULT, "TF_GetAllRegisteredKernels");
  tf_delete_fn delete_buffer = (tf_delete_fn)dlsym(RTLD_DEFAULT, "TF_DeleteBuffer");
  tf_new_fn new_status = (tf_new_fn)dlsym(RTLD_DEFAULT, "TF_NewStatus");
  tf_delete_fn delete_status = (tf_delete_fn)dlsym(RTLD_DEFAULT, "TF_DeleteStatus");
  if (!all_ops || !all_kernels || !delete_buffer || !new_status || !delete_status) {
    napi_throw_error(env, NULL, "the preloaded libtensorflow lacks TF_GetAllOpList or TF_GetAllRegisteredKernels");
    return NULL;
  }
  delete_buffer(all_ops());
  void *status = new_status();
  void *kernels = all_kernels(status);
  if (kernels) delete_buffer(kernels);
  delete_status(status);
  return NULL;
}

// Node marks V8's heap MADV_DONTFORK (it keeps child_process spawns cheap), so a plain fork() gives a child with
// holes where its JavaScript heap was. Undo that for every mapping first; madvise fails harmlessly on the few
// mappings it does not apply to.
static void allow_fork_copies(void) {
  FILE *maps = fopen("/proc/self/maps", "r");
  char line[1024];
  if (!maps) return;
  while (fgets(line, sizeof line, maps)) {
    unsigned long start, end;
    if (sscanf(line, "%lx-%lx", &start, &end) == 2) madvise((void *)start, end - start, MADV_DOFORK);
  }
  fclose(maps);
}

// Threads of the zygote blocked on a futex when it forks: node's V8 platform workers, idle on their task queue's
// condition variable. The child has none of those threads, but glibc's condition variable still counts them as
// waiters, and pthread_cond_signal (up to glibc 2.40) blocks until such waiters have woken: the first time V8 posts
// a background job in the child (a mark-compact GC does, --single-threaded or not) the worker would hang for good.
#define MAX_WAITERS 64
struct waits {
  uintptr_t addr[MAX_WAITERS];
  int n;
};

static void collect_futex_waiters(struct waits *w) {
  DIR *tasks = opendir("/proc/self/task");
  struct dirent *e;
  pid_t self = (pid_t)syscall(SYS_gettid);
  w->n = 0;
  if (!tasks) return;
  while ((e = readdir(tasks)) && w->n < MAX_WAITERS) {
    int tid = atoi(e->d_name);
    if (tid <= 0 || tid == self) continue;
    char path[64];
    snprintf(path, sizeof path, "/proc/self/task/%d/syscall", tid);
    FILE *f = fopen(path, "r");
    if (!f) continue;
    long nr;
    unsigned long addr, op;
    if (fscanf(f, "%ld %lx %lx", &nr, &addr, &op) == 3 && nr == SYS_futex) {
      int cmd = (int)(op & FUTEX_CMD_MASK);
      if (cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET) w->addr[w->n++] = addr;
    }
    fclose(f);
  }
  closedir(tasks);
}

// glibc 2.36's pthread_cond_t: __wseq, __g1_start (8 bytes each), __g_refs[2], __g_size[2], __g1_orig_size,
// __wrefs, __g_signals[2] (4 bytes each). Waiters sleep on __g_signals[g]; each adds 8 to __wrefs and 2 to
// __g_refs[g]. A futex word is taken for a condition variable only if both counts match the threads found waiting
// on it, so a semaphore or mutex is never touched; such a variable is re-initialised in the child, where nobody waits.
static uintptr_t condvar_of(const struct waits *w, int i) {
  uintptr_t a = w->addr[i];
  int k = 0;
  for (int j = 0; j < w->n; j++) {
    if (w->addr[j] == a) {
      if (j < i) return 0;
      k++;
    }
  }
  if (a < 44) return 0;
  int g = ((a - 40) % 8 == 0) ? 0 : 1;
  uintptr_t base = a - 40 - 4 * g;
  if (base % 8 != 0) return 0;
  const unsigned int *words = (const unsigned int *)base;
  return ((int)(words[9] >> 3) == k && (int)(words[4 + g] >> 1) == k) ? base : 0;
}

static void reset_orphaned_condvars(const struct waits *w) {
  for (int i = 0; i < w->n; i++) {
    uintptr_t base = condvar_of(w, i);
    if (base) pthread_cond_init((pthread_cond_t *)base, NULL);
  }
}

// node's worker task queue: a uv_mutex_t (40 bytes) followed by the condition variable its idle workers wait on
// (node::TaskQueue). Found once, while the zygote is idle and all its workers wait, because at the moment of a fork
// one of them may be between waking and waiting again, which the counts above would not accept.
static uintptr_t task_queue_condvar;

static napi_value FindTaskQueue(napi_env env, napi_callback_info info) {
  struct waits w;
  collect_futex_waiters(&w);
  for (int i = 0; i < w.n && !task_queue_condvar; i++) {
    uintptr_t base = condvar_of(&w, i);
    const pthread_mutex_t *lock = (const pthread_mutex_t *)(base - 40);
    int waiters = 0;
    for (int j = 0; j < w.n; j++) waiters += w.addr[j] == w.addr[i];
    if (base && waiters >= 2 && lock->__data.__lock == 0 && lock->__data.__owner == 0) task_queue_condvar = base;
  }
  napi_value found;
  napi_get_boolean(env, task_queue_condvar != 0, &found);
  return found;
}

// Returns the child's pid in the parent and 0 in the child. Only the calling thread exists in the child: V8's
// platform workers are gone (the zygote runs with --single-threaded, so V8 posts them little; see above for what it
// still posts), libuv's thread pool is re-created on first use (libuv's own atfork handler), and the event loop's
// epoll and signal descriptors are re-made by uv_loop_fork so that parent and child do not share them.
static napi_value Fork(napi_env env, napi_callback_info info) {
  struct waits waiting;
  allow_fork_copies();
  collect_futex_waiters(&waiting);
  pid_t pid = fork();
  if (pid < 0) return throw_errno(env, "fork");
  if (pid == 0) {
    reset_orphaned_condvars(&waiting);
    if (task_queue_condvar) {
      pthread_mutex_init((pthread_mutex_t *)(task_queue_condvar - 40), NULL);
      pthread_cond_init((pthread_cond_t *)task_queue_condvar, NULL);
    }
    int e = uv_loop_fork(uv_default_loop());
    if (e) {
      fprintf(stderr, "uv_loop_fork: %s\n", uv_strerror(e));
      _exit(70);
    }
  }
  napi_value result;
  napi_create_int32(env, pid, &result);
  return result;
}

// Collects every child that has ended, without blocking: [pid, exit code or -1, signal number or 0, ...].
static napi_value Reap(napi_env env, napi_callback_info info) {
  napi_value list;
  napi_create_array(env, &list);
  uint32_t n = 0;
  int status;
  pid_t pid;
  while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
    napi_value v;
    napi_create_int32(env, pid, &v);
    napi_set_element(env, list, n++, v);
    napi_create_int32(env, WIFEXITED(status) ? WEXITSTATUS(status) : -1, &v);
    napi_set_element(env, list, n++, v);
    napi_create_int32(env, WIFSIGNALED(status) ? WTERMSIG(status) : 0, &v);
    napi_set_element(env, list, n++, v);
  }
  return list;
}

// A forked child cannot run node's exit path: it would wait for platform threads the child does not have.
static napi_value ExitNow(napi_env env, napi_callback_info info) {
  _exit(int_arg(env, info, 0));
  return NULL;
}

// Other processes of the same user cannot read or write this one's memory, open its descriptors through /proc, or
// attach a debugger.
// node's process.pid is the zygote's, read once at start-up.
static napi_value Pid(napi_env env, napi_callback_info info) {
  napi_value result;
  napi_create_int32(env, getpid(), &result);
  return result;
}

static napi_value HideFromPeers(napi_env env, napi_callback_info info) {
  if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) return throw_errno(env, "prctl(PR_SET_DUMPABLE)");
  return NULL;
}

// ---- the child's system-call filter ----------------------------------------------------------------------------
//
// A student's worker shares its sandbox with the zygote and, briefly, with the next student's worker. The filter
// keeps it to itself: it cannot start processes (nothing could outlive it), signal, trace or re-limit any process
// but its own, or open channels that outlive it (SysV IPC, keyrings). Denied calls fail with EPERM.

#if defined(__x86_64__)
#define FILTER_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define FILTER_ARCH AUDIT_ARCH_AARCH64
#else
#error "fork-server.c: no seccomp architecture constant for this CPU"
#endif

#define MAX_FILTER 256
struct filter {
  struct sock_filter code[MAX_FILTER];
  unsigned short len;
};

static void emit(struct filter *f, struct sock_filter ins) {
  if (f->len < MAX_FILTER) f->code[f->len++] = ins;
}

#define LOAD(field) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, field))
#define ARG_LO(i) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[i]))
#define ARG_HI(i) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[i]) + 4)
#define RETURN(v) BPF_STMT(BPF_RET | BPF_K, (v))
#define DENY RETURN(SECCOMP_RET_ERRNO | EPERM)
#define ALLOW RETURN(SECCOMP_RET_ALLOW)

static void deny(struct filter *f, int nr, unsigned int action) {
  emit(f, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 1));
  emit(f, (struct sock_filter)RETURN(action));
}

// Allows syscall nr only when argument `arg` is one of `allowed` (as a non-negative 32-bit value); the argument is
// reloaded into the accumulator, so each block ends in a return.
static void allow_if_arg(struct filter *f, int nr, int arg, const unsigned int *allowed, int k) {
  emit(f, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, k + 5));
  emit(f, (struct sock_filter)ARG_HI(arg));
  emit(f, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, k + 1));
  emit(f, (struct sock_filter)ARG_LO(arg));
  for (int i = 0; i < k; i++) emit(f, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, allowed[i], k - i, 0));
  emit(f, (struct sock_filter)DENY);
  emit(f, (struct sock_filter)ALLOW);
}

static napi_value LockDown(napi_env env, napi_callback_info info) {
  struct filter f = {.len = 0};
  const unsigned int self[] = {(unsigned int)getpid()};
  const unsigned int self_or_zero[] = {(unsigned int)getpid(), 0};

  emit(&f, (struct sock_filter)LOAD(arch));
  emit(&f, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, FILTER_ARCH, 1, 0));
  emit(&f, (struct sock_filter)RETURN(SECCOMP_RET_KILL_PROCESS));
  emit(&f, (struct sock_filter)LOAD(nr));
#if defined(__x86_64__)
  // x32 system calls would bypass the numbers below.
  emit(&f, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 1));
  emit(&f, (struct sock_filter)DENY);
#endif

  // Threads, yes; processes, no. glibc creates threads with clone3 and falls back to clone on ENOSYS, and clone3's
  // flags live in memory a filter cannot read.
  deny(&f, __NR_clone3, SECCOMP_RET_ERRNO | ENOSYS);
  emit(&f, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone, 0, 4));
  emit(&f, (struct sock_filter)ARG_LO(0));
  emit(&f, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, CLONE_THREAD, 1, 0));
  emit(&f, (struct sock_filter)DENY);
  emit(&f, (struct sock_filter)ALLOW);

  const int denied[] = {
#if defined(__NR_fork)
                        __NR_fork, __NR_vfork,
#endif
                        __NR_execve, __NR_execveat, __NR_ptrace, __NR_process_vm_readv,
                        __NR_process_vm_writev, __NR_pidfd_open, __NR_pidfd_getfd, __NR_pidfd_send_signal, __NR_tkill,
                        __NR_kcmp, __NR_setpriority, __NR_ioprio_set, __NR_msgget, __NR_semget, __NR_shmget,
                        __NR_mq_open, __NR_add_key, __NR_request_key, __NR_keyctl, __NR_userfaultfd,
                        __NR_perf_event_open, __NR_bpf, __NR_io_uring_setup, __NR_unshare, __NR_setns};
  for (size_t i = 0; i < sizeof denied / sizeof denied[0]; i++) deny(&f, denied[i], SECCOMP_RET_ERRNO | EPERM);

  const int signalling[] = {__NR_kill, __NR_tgkill, __NR_rt_sigqueueinfo, __NR_rt_tgsigqueueinfo};
  for (size_t i = 0; i < sizeof signalling / sizeof signalling[0]; i++) allow_if_arg(&f, signalling[i], 0, self, 1);
  const int on_a_process[] = {__NR_prlimit64, __NR_sched_setaffinity, __NR_sched_setparam, __NR_sched_setscheduler,
                              __NR_sched_setattr, __NR_migrate_pages, __NR_move_pages, __NR_get_robust_list};
  for (size_t i = 0; i < sizeof on_a_process / sizeof on_a_process[0]; i++) allow_if_arg(&f, on_a_process[i], 0, self_or_zero, 2);

  emit(&f, (struct sock_filter)ALLOW);
  if (f.len >= MAX_FILTER) {
    napi_throw_error(env, NULL, "seccomp filter too long");
    return NULL;
  }
  struct sock_fprog prog = {.len = f.len, .filter = f.code};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return throw_errno(env, "prctl(PR_SET_NO_NEW_PRIVS)");
  if (syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &prog) != 0) return throw_errno(env, "seccomp");
  return NULL;
}

static void export_fn(napi_env env, napi_value exports, const char *name, napi_callback cb) {
  napi_value fn;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, cb, NULL, &fn);
  napi_set_named_property(env, exports, name, fn);
}

NAPI_MODULE_INIT() {
  export_fn(env, exports, "preload", Preload);
  export_fn(env, exports, "buildRegistries", BuildRegistries);
  export_fn(env, exports, "findTaskQueue", FindTaskQueue);
  export_fn(env, exports, "fork", Fork);
  export_fn(env, exports, "reap", Reap);
  export_fn(env, exports, "exitNow", ExitNow);
  export_fn(env, exports, "pid", Pid);
  export_fn(env, exports, "hideFromPeers", HideFromPeers);
  export_fn(env, exports, "lockDown", LockDown);
  return exports;
}
