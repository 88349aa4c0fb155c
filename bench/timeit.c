/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Times two commands in turn (A B A B ...), each run a fork + exec with
 * its standard input from a file and its output thrown away.
 *
 *   timeit -n RUNS [-i A_STDIN] [-I B_STDIN] [-e VAR=VAL] [-p PRE] A... :: B...
 *
 * -e sets a variable for B only (LD_LIBRARY_PATH of the reference); -p
 * runs PRE (through /bin/sh) untimed before every run of either (to undo
 * what the previous run wrote).  One warm-up run of each is not counted.
 * Prints "MEDIAN_A_US MEDIAN_B_US MAXRSS_A_KB MAXRSS_B_KB FAILS_A FAILS_B
 * CPU_A_US CPU_B_US": median wall microseconds from fork to reaping,
 * largest peak RSS of a run, runs that failed, median CPU time (user +
 * system of the command and its children, the steadier figure on a busy
 * machine).
 * Built by bench/run with cc; not part of the installed programs. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *bench_env_b;

static long long
now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long) ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int
cmp_ll(const void *a, const void *b)
{
    long long x = *(const long long *) a, y = *(const long long *) b;
    return (x > y) - (x < y);
}

/* one run: wall us, peak RSS kB in *rss, nonzero exit counted in *fails */
static long long
run(char **argv, const char *in, int is_b, long *rss, int *fails, long long *cpu)
{
    long long t0 = now_us();
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        exit(1);
    }
    if (pid == 0) {
        int fd = open(in ? in : "/dev/null", O_RDONLY);
        int nul = open("/dev/null", O_WRONLY);
        if (fd < 0 || nul < 0)
            _exit(126);
        dup2(fd, 0);
        dup2(nul, 1);
        dup2(nul, 2);
        if (is_b && bench_env_b)
            putenv((char *) bench_env_b);
        execv(argv[0], argv);
        _exit(127);
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0) {
        perror("wait4");
        exit(1);
    }
    long long t = now_us() - t0;
    *cpu = (long long) (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 +
           ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
    if (ru.ru_maxrss > *rss)
        *rss = ru.ru_maxrss;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        (*fails)++;
    return t;
}

static void
pre(const char *cmd)
{
    if (cmd && system(cmd) != 0) {
        fprintf(stderr, "timeit: '%s' failed\n", cmd);
        exit(1);
    }
}

int
main(int argc, char **argv)
{
    int n = 15, opt;
    const char *in_a = NULL, *in_b = NULL, *prep = NULL;
    while ((opt = getopt(argc, argv, "+n:i:I:e:p:")) != -1) {
        switch (opt) {
        case 'n': n = atoi(optarg); break;
        case 'i': in_a = optarg; break;
        case 'I': in_b = optarg; break;
        case 'e': bench_env_b = optarg; break;
        case 'p': prep = optarg; break;
        default:
            fprintf(stderr, "usage: timeit -n RUNS [-i IN] [-I IN] [-e V=X] [-p PRE] A... :: B...\n");
            return 2;
        }
    }
    char **a = argv + optind, **b = NULL;
    for (char **p = a; *p; p++) {
        if (strcmp(*p, "::") == 0) {
            *p = NULL;
            b = p + 1;
            break;
        }
    }
    if (n < 1 || !a[0] || !b || !b[0]) {
        fprintf(stderr, "timeit: need A :: B\n");
        return 2;
    }
    long long *ta = calloc(n, sizeof *ta), *tb = calloc(n, sizeof *tb);
    long long *ca = calloc(n, sizeof *ca), *cb = calloc(n, sizeof *cb), dummy;
    long rss_a = 0, rss_b = 0;
    int fa = 0, fb = 0, wa = 0, wb = 0;
    pre(prep);
    run(a, in_a, 0, &rss_a, &wa, &dummy);
    pre(prep);
    run(b, in_b, 1, &rss_b, &wb, &dummy);
    for (int i = 0; i < n; i++) {
        pre(prep);
        ta[i] = run(a, in_a, 0, &rss_a, &fa, &ca[i]);
        pre(prep);
        tb[i] = run(b, in_b, 1, &rss_b, &fb, &cb[i]);
    }
    qsort(ta, n, sizeof *ta, cmp_ll);
    qsort(tb, n, sizeof *tb, cmp_ll);
    qsort(ca, n, sizeof *ca, cmp_ll);
    qsort(cb, n, sizeof *cb, cmp_ll);
#define MEDIAN(v) (n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2)
    printf("%lld %lld %ld %ld %d %d %lld %lld\n", MEDIAN(ta), MEDIAN(tb), rss_a, rss_b, fa, fb,
           MEDIAN(ca), MEDIAN(cb));
    return 0;
}
