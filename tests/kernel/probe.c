/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * probe: try file accesses under an AppArmor profile, for the kernel
 * tests (tests/kernel/).  Runs inside the test VM only.
 *
 *   probe PROFILE [ACTION PATH]...
 *       aa_change_onexec(PROFILE), then execute itself again ("do" mode),
 *       so the actions run in a process confined from its start;
 *       with no ACTION, the actions are read from standard input, one
 *       "ACTION PATH" a line, and the same process answers each line
 *       (the hot-plug check: one process before and after a reload).
 *   probe --exec PROFILE PROGRAM [ARG]...
 *       aa_change_onexec(PROFILE), then execute PROGRAM (QEMU) under it.
 *   probe --listen PATH
 *       bind and listen on the unix socket PATH (unconfined), accepting
 *       and closing connections until killed.
 *
 * ACTION: r (open for reading), w (open for writing), a (append),
 * x (execute PATH --version), c (connect to the unix socket PATH).
 * One line an action: "ok|denied|error ACTION PATH ERRNO".
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/apparmor.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static int
try_exec(const char *path)
{
    int pfd[2];
    if (pipe2(pfd, O_CLOEXEC) < 0)
        return errno;
    pid_t pid = fork();
    if (pid < 0)
        return errno;
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        if (null >= 0) {
            dup2(null, 1);
            dup2(null, 2);
        }
        char *argv[] = { (char *) path, (char *) "--version", NULL };
        execv(path, argv);
        int e = errno;
        (void) !write(pfd[1], &e, sizeof(e));
        _exit(127);
    }
    close(pfd[1]);
    int e = 0;
    if (read(pfd[0], &e, sizeof(e)) != (ssize_t) sizeof(e))
        e = 0;
    close(pfd[0]);
    int status;
    waitpid(pid, &status, 0);
    return e;
}

static int
try_connect(const char *path)
{
    struct sockaddr_un sun = { .sun_family = AF_UNIX };
    if (strlen(path) >= sizeof(sun.sun_path))
        return ENAMETOOLONG;
    strcpy(sun.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0)
        return errno;
    int e = connect(fd, (struct sockaddr *) &sun, sizeof(sun)) < 0 ? errno : 0;
    close(fd);
    return e;
}

static int
try_open(const char *path, int flags)
{
    int fd = open(path, flags | O_CLOEXEC);
    if (fd < 0)
        return errno;
    close(fd);
    return 0;
}

static void
act(const char *action, const char *path)
{
    int e;
    switch (action[0]) {
    case 'r': e = try_open(path, O_RDONLY); break;
    case 'w': e = try_open(path, O_WRONLY); break;
    case 'a': e = try_open(path, O_WRONLY | O_APPEND); break;
    case 'x': e = try_exec(path); break;
    case 'c': e = try_connect(path); break;
    default: e = EINVAL; break;
    }
    printf("%s %s %s %d\n", e == 0 ? "ok" : (e == EACCES || e == EPERM) ? "denied" : "error",
           action, path, e);
    fflush(stdout);
}

static int
listen_on(const char *path)
{
    struct sockaddr_un sun = { .sun_family = AF_UNIX };
    if (strlen(path) >= sizeof(sun.sun_path))
        return 1;
    strcpy(sun.sun_path, path);
    unlink(path);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *) &sun, sizeof(sun)) < 0 || listen(fd, 16) < 0) {
        perror("probe --listen");
        return 1;
    }
    for (;;) {
        int c = accept(fd, NULL, NULL);
        if (c >= 0)
            close(c);
    }
}

int
main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--listen") == 0)
        return listen_on(argv[2]);
    if (argc >= 4 && strcmp(argv[1], "--exec") == 0) {
        if (aa_change_onexec(argv[2]) < 0) {
            fprintf(stderr, "probe: aa_change_onexec(%s): %s\n", argv[2], strerror(errno));
            return 1;
        }
        execv(argv[3], argv + 3);
        fprintf(stderr, "probe: exec %s: %s\n", argv[3], strerror(errno));
        return 1;
    }
    if (argc >= 2 && strcmp(argv[1], "--do") == 0) {
        if (argc == 2) {
            char line[4096];
            while (fgets(line, sizeof(line), stdin)) {
                line[strcspn(line, "\n")] = '\0';
                char *sp = strchr(line, ' ');
                if (!sp)
                    continue;
                *sp = '\0';
                act(line, sp + 1);
            }
            return 0;
        }
        for (int i = 2; i + 1 < argc; i += 2)
            act(argv[i], argv[i + 1]);
        return 0;
    }
    if (argc < 2 || argc % 2 != 0) {
        fprintf(stderr, "usage: probe PROFILE [ACTION PATH]... | probe --listen PATH\n");
        return 2;
    }
    if (aa_change_onexec(argv[1]) < 0) {
        fprintf(stderr, "probe: aa_change_onexec(%s): %s\n", argv[1], strerror(errno));
        return 1;
    }
    char **nargv = calloc(argc + 1, sizeof(char *));
    if (!nargv)
        return 1;
    nargv[0] = argv[0];
    nargv[1] = (char *) "--do";
    for (int i = 2; i < argc; i++)
        nargv[i] = argv[i];
    execv("/proc/self/exe", nargv);
    fprintf(stderr, "probe: exec: %s\n", strerror(errno));
    return 1;
}
