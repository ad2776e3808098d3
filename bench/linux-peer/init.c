/*
 * /init of the Linux peer guest: measures Linux's kernel costs the way Zero
 * OS measures its own (docs/benchmarks.md), in retired instructions under
 * QEMU -icount, and prints "peer: NAME VALUE" lines on the console.
 *
 * Each figure is the median of BATCHES batches of N operations, timed with
 * lfence; rdtsc; lfence and divided by N.  Round trips run between two
 * processes (or threads) on one CPU, each side blocking every time.
 */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/io.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define BATCHES 51
#define WARMUP 200

static inline uint64_t rdtsc_fenced(void)
{
    uint32_t lo, hi;

    __asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi)::"memory");
    return ((uint64_t)hi << 32) | lo;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

static uint64_t median(uint64_t *v, int n)
{
    qsort(v, (size_t)n, sizeof(v[0]), cmp_u64);
    return v[n / 2];
}

static void report(const char *name, uint64_t *samples, int per_batch)
{
    printf("peer: %s %llu\n", name, (unsigned long long)(median(samples, BATCHES) / per_batch));
    fflush(stdout);
}

static void bench_null_syscall(void)
{
    uint64_t s[BATCHES];
    enum { N = 1000 };

    for (int i = 0; i < WARMUP; i++) {
        syscall(SYS_getppid);
    }
    for (int b = 0; b < BATCHES; b++) {
        uint64_t t0 = rdtsc_fenced();
        for (int i = 0; i < N; i++) {
            syscall(SYS_getppid);
        }
        s[b] = rdtsc_fenced() - t0;
    }
    report("linux_null_syscall", s, N);
}

/*
 * Ping-pong over a pair of file descriptors per direction: the parent writes
 * to out[1] and reads in[0]; the child echoes.
 */
static void bench_fd_pingpong(const char *name, int to_child[2], int to_parent[2], size_t len)
{
    uint64_t s[BATCHES];
    uint64_t v = 1;
    enum { N = 100 };
    pid_t pid = fork();

    if (pid == 0) {
        while (read(to_child[0], &v, len) == (ssize_t)len) {
            if (write(to_parent[1], &v, len) != (ssize_t)len) {
                break;
            }
        }
        _exit(0);
    }
    for (int i = 0; i < WARMUP; i++) {
        if (write(to_child[1], &v, len) != (ssize_t)len ||
            read(to_parent[0], &v, len) != (ssize_t)len) {
            printf("peer: %s failed\n", name);
            return;
        }
    }
    for (int b = 0; b < BATCHES; b++) {
        uint64_t t0 = rdtsc_fenced();
        for (int i = 0; i < N; i++) {
            (void)!write(to_child[1], &v, len);
            (void)!read(to_parent[0], &v, len);
        }
        s[b] = rdtsc_fenced() - t0;
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    report(name, s, N);
}

static void bench_pipe(void)
{
    int a[2], b[2];

    if (pipe(a) != 0 || pipe(b) != 0) {
        return;
    }
    bench_fd_pingpong("linux_pipe_roundtrip", a, b, 1);
    close(a[0]), close(b[0]), close(b[1]);
}

static void bench_eventfd(void)
{
    int e1 = eventfd(0, 0), e2 = eventfd(0, 0);
    int a[2] = {e1, e1}, b[2] = {e2, e2};

    bench_fd_pingpong("linux_eventfd_roundtrip", a, b, 8);
    close(e2);
}

static void bench_seqpacket(void)
{
    int sv[2];

    if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) != 0) {
        return;
    }
    int a[2] = {sv[1], sv[0]}, b[2] = {sv[0], sv[1]};
    bench_fd_pingpong("linux_seqpacket_roundtrip", a, b, 1);
    close(sv[0]);
}

static long futex(uint32_t *uaddr, int op, uint32_t val)
{
    return syscall(SYS_futex, uaddr, op, val, NULL, NULL, 0);
}

/* Hands the token (a shared futex word) to the other process and waits for it back. */
static void futex_pass(uint32_t *turn)
{
    __atomic_store_n(turn, 1, __ATOMIC_RELEASE);
    futex(turn, FUTEX_WAKE, 1);
    while (__atomic_load_n(turn, __ATOMIC_ACQUIRE) != 0) {
        futex(turn, FUTEX_WAIT, 1);
    }
}

static void bench_futex_processes(void)
{
    uint32_t *turn = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    uint64_t s[BATCHES];
    enum { N = 100 };

    *turn = 0;
    pid_t pid = fork();
    if (pid == 0) {
        for (;;) {
            while (__atomic_load_n(turn, __ATOMIC_ACQUIRE) != 1) {
                futex(turn, FUTEX_WAIT, 0);
            }
            __atomic_store_n(turn, 0, __ATOMIC_RELEASE);
            futex(turn, FUTEX_WAKE, 1);
        }
    }
    for (int i = 0; i < WARMUP; i++) {
        futex_pass(turn);
    }
    for (int b = 0; b < BATCHES; b++) {
        uint64_t t0 = rdtsc_fenced();
        for (int i = 0; i < N; i++) {
            futex_pass(turn);
        }
        s[b] = rdtsc_fenced() - t0;
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    report("linux_futex_roundtrip_processes", s, N);
}

int main(void)
{
    /* Under -icount the TSC counts every instruction since power-on. */
    uint64_t boot = rdtsc_fenced();

    printf("peer: linux_guest_up 1\n");
    printf("peer: linux_boot_to_init %llu\n", (unsigned long long)boot);
    bench_null_syscall();
    bench_pipe();
    bench_eventfd();
    bench_futex_processes();
    bench_seqpacket();
    fflush(stdout);
    if (ioperm(0xf4, 4, 1) == 0) {
        outb(0, 0xf4);
    }
    for (;;) {
        pause();
    }
}
