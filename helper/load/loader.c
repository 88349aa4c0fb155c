/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "loader.h"

#include <errno.h>
#include <string.h>
#include <sys/apparmor.h>
#include <sys/wait.h>

#include "aavm-error.h"
#include "aavm-i18n.h"
#include "kernel-state.h"
#include "store-dir.h"

/* The parser runs with this environment and nothing else. */
static const char *const parser_env[] = {
    "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
    "LC_ALL=C",
    NULL,
};

const char *
aavm_load_op_to_flag(AavmLoadOp op)
{
    switch (op) {
    case AAVM_LOAD_ADD: return "-a";
    case AAVM_LOAD_REPLACE: return "-r";
    case AAVM_LOAD_REMOVE: return "-R";
    default: return NULL;
    }
}

char **
aavm_loader_build_argv(const char *parser, AavmLoadOp op, const char *cache_dir,
                       const char *profile_path)
{
    GPtrArray *argv = g_ptr_array_new();

    g_ptr_array_add(argv, g_strdup(parser));
    g_ptr_array_add(argv, g_strdup(aavm_load_op_to_flag(op)));
    /* Unloading compiles nothing: no cache. */
    if (cache_dir && op != AAVM_LOAD_REMOVE) {
        g_ptr_array_add(argv, g_strdup("-W"));
        g_ptr_array_add(argv, g_strdup("-L"));
        g_ptr_array_add(argv, g_strdup(cache_dir));
    }
    g_ptr_array_add(argv, g_strdup(profile_path));
    g_ptr_array_add(argv, NULL);
    return (char **)g_ptr_array_free(argv, FALSE);
}

/* The last non-empty line the parser printed, for the message. */
static char *
last_line(const char *output)
{
    g_auto(GStrv) lines = g_strsplit(output ? output : "", "\n", -1);
    guint n = g_strv_length(lines);

    while (n-- > 0) {
        g_strstrip(lines[n]);
        if (*lines[n])
            return g_strdup(lines[n]);
    }
    return g_strdup(_("(no output)"));
}

gboolean
aavm_loader_decode_status(AavmLoadOp op, int wait_status, const char *parser_output,
                          gboolean *out_not_loaded, GError **error)
{
    if (out_not_loaded)
        *out_not_loaded = FALSE;
    if (WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0)
        return TRUE;
    if (op == AAVM_LOAD_REMOVE && WIFEXITED(wait_status) &&
        WEXITSTATUS(wait_status) == AAVM_PARSER_STATUS_NOT_LOADED) {
        if (out_not_loaded)
            *out_not_loaded = TRUE;
        return TRUE;
    }

    g_autofree char *said = last_line(parser_output);
    if (WIFSIGNALED(wait_status))
        return aavm_fail(error, AAVM_ERROR_PARSER_FAILED,
                         _("apparmor_parser %s was killed by signal %d: %s"),
                         aavm_load_op_to_flag(op), WTERMSIG(wait_status), said);
    return aavm_fail(error, AAVM_ERROR_PARSER_FAILED,
                     _("apparmor_parser %s failed with exit status %d: %s"),
                     aavm_load_op_to_flag(op),
                     WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1, said);
}

gboolean
aavm_loader_check_cache(const char *cache_dir, const char *profile_name, GError **error)
{
    return !cache_dir ||
           aavm_store_cache_entries(cache_dir, profile_name, TRUE, NULL, NULL, error);
}

gboolean
aavm_loader_run(const char *parser, AavmLoadOp op, const char *cache_dir,
                const char *profile_path, gboolean *out_not_loaded, GError **error)
{
    g_auto(GStrv) argv = aavm_loader_build_argv(parser, op, cache_dir, profile_path);
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    g_autoptr(GError) spawn_error = NULL;
    int status = 0;

    if (op != AAVM_LOAD_REMOVE) {
        g_autofree char *name = g_path_get_basename(profile_path);
        if (!aavm_loader_check_cache(cache_dir, name, error))
            return FALSE;
    }

    if (!g_spawn_sync("/", argv, (char **)parser_env, G_SPAWN_DEFAULT, NULL, NULL,
                      &out, &err, &status, &spawn_error))
        return aavm_fail(error, AAVM_ERROR_PARSER_FAILED,
                         _("Cannot run apparmor_parser '%s': %s"), parser,
                         spawn_error->message);
    g_autofree char *both = g_strconcat(out ? out : "", err ? err : "", NULL);
    return aavm_loader_decode_status(op, status, both, out_not_loaded, error);
}

gboolean
aavm_loader_enabled_verdict(int errnum, GError **error)
{
    /* Denied the question, not the answer: a confined caller may be kept
     * from reading /sys/module/apparmor/parameters/enabled, which says
     * nothing about loading.  The parser, run next, tells. */
    if (errnum == EACCES || errnum == EPERM)
        return TRUE;
    g_autofree char *reason = aavm_kernel_state_reason(errnum);

    return aavm_fail(error, AAVM_ERROR_PARSER_FAILED, _("Cannot load profiles: %s"), reason);
}

gboolean
aavm_loader_check_enabled(GError **error)
{
    errno = 0;
    if (aa_is_enabled())
        return TRUE;
    return aavm_loader_enabled_verdict(errno ? errno : ENOSYS, error);
}
