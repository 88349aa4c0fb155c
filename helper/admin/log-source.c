/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "log-source.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "aavm-error.h"
#include "aavm-i18n.h"

static const char *const journalctl_argv[] = { "journalctl", "-k", "-o", "json", "--no-pager",
                                               NULL };

static AavmLogSource *
open_audit_log(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    struct stat st;

    if (fd < 0)
        return NULL;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || fcntl(fd, F_SETFL, 0) < 0) {
        close(fd);
        return NULL;
    }
    FILE *stream = fdopen(fd, "r");
    if (!stream) {
        close(fd);
        return NULL;
    }
    AavmLogSource *source = g_new0(AavmLogSource, 1);
    source->stream = stream;
    source->description = g_strdup(path);
    return source;
}

AavmLogSource *
aavm_log_source_open_system(const char *audit_log, GError **error)
{
    AavmLogSource *source = open_audit_log(audit_log);
    g_autofree char *program = NULL;
    g_autoptr(GError) spawn_error = NULL;
    GPid pid = 0;
    int out = -1;

    if (source)
        return source;
    if (!(program = g_find_program_in_path(journalctl_argv[0]))) {
        aavm_fail(error, AAVM_ERROR_IO,
                  _("There is no log to read: neither '%s' nor journalctl exists; give a log file, or '-' for standard input."),
                  audit_log);
        return NULL;
    }
    if (!g_spawn_async_with_pipes(NULL, (char **)journalctl_argv, NULL,
                                  G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                  &pid, NULL, &out, NULL, &spawn_error)) {
        aavm_fail(error, AAVM_ERROR_IO, _("Cannot run journalctl: %s"), spawn_error->message);
        return NULL;
    }
    FILE *stream = fdopen(out, "r");
    if (!stream)
        abort(); /* out of memory, as GLib does */
    source = g_new0(AavmLogSource, 1);
    source->stream = stream;
    source->description = g_strjoinv(" ", (char **)journalctl_argv);
    source->spawned = TRUE;
    source->pid = pid;
    return source;
}

gboolean
aavm_log_source_close(AavmLogSource *source, gboolean stop, GError **error)
{
    gboolean ok = TRUE;
    int status = 0;

    fclose(source->stream);
    if (source->spawned) {
        if (stop)
            kill(source->pid, SIGTERM);
        while (waitpid(source->pid, &status, 0) < 0 && errno == EINTR)
            ;
        g_spawn_close_pid(source->pid);
        if (!stop && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
            ok = WIFEXITED(status)
                     ? aavm_fail(error, AAVM_ERROR_IO, _("%s failed with exit status %d."),
                                 source->description, WEXITSTATUS(status))
                     : aavm_fail(error, AAVM_ERROR_IO, _("%s was killed by signal %d."),
                                 source->description, WTERMSIG(status));
        }
    }
    g_free(source->description);
    g_free(source);
    return ok;
}
