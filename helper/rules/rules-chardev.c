/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rules-chardev.c: the host paths of character devices (serial, parallel,
 * console, channel, redirdev, smartcard passthrough, rng egd) and their
 * <log file=>. */
#include "rules-private.h"

#include "aavm-error.h"
#include "aavm-i18n.h"

static gboolean
chardev_has_path(const AavmChardev *chardev)
{
    static const char *const path_types[] = { "file", "pty", "dev", "unix", "pipe" };

    if (!chardev->path || !*chardev->path)
        return FALSE;
    for (guint i = 0; i < G_N_ELEMENTS(path_types); i++)
        if (g_strcmp0(chardev->type, path_types[i]) == 0)
            return TRUE;
    return FALSE;
}

/* "serial0", "channel1 (org.qemu.guest_agent.0)". */
static char *
chardev_name(const AavmChardev *chardev)
{
    const char *kind = aavm_chardev_kind_to_string(chardev->kind);

    if (chardev->target_name)
        return g_strdup_printf("%s%u (%s)", kind, chardev->index, chardev->target_name);
    return g_strdup_printf("%s%u", kind, chardev->index);
}

static gboolean
add_rw(const AavmRulesCtx *ctx, const char *path, const char *reason, GError **error)
{
    return aavm_rules_path(ctx, path, AAVM_MATCH_EXACT, AAVM_PERM_RW, reason, error);
}

/* A pipe is the two FIFOs <path>.in and <path>.out. */
static gboolean
add_pipe(const AavmRulesCtx *ctx, const AavmChardev *chardev, const char *name, GError **error)
{
    static const char *const ends[] = { ".in", ".out" };

    for (guint e = 0; e < G_N_ELEMENTS(ends); e++) {
        g_autofree char *path = g_strconcat(chardev->path, ends[e], NULL);
        g_autofree char *reason = g_strdup_printf("%s (pipe %s)", name, ends[e]);
        if (!add_rw(ctx, path, reason, error))
            return FALSE;
    }
    return TRUE;
}

static gboolean
add_one(const AavmRulesCtx *ctx, const AavmChardev *chardev, GError **error)
{
    g_autofree char *name = chardev_name(chardev);

    /* QEMU only writes the log (O_WRONLY, appending or truncating). */
    if (chardev->log_file) {
        g_autofree char *reason = g_strdup_printf("%s log file", name);
        if (!aavm_rules_path(ctx, chardev->log_file, AAVM_MATCH_EXACT, AAVM_PERM_WRITE,
                             reason, error))
            return FALSE;
    }
    if (!chardev_has_path(chardev))
        return TRUE;
    if (g_strcmp0(chardev->type, "pipe") == 0)
        return add_pipe(ctx, chardev, name, error);
    return add_rw(ctx, chardev->path, name, error);
}

gboolean
aavm_rules_add_chardevs(const AavmRulesCtx *ctx, GError **error)
{
    for (guint i = 0; i < ctx->domain->chardevs->len; i++)
        if (!add_one(ctx, g_ptr_array_index(ctx->domain->chardevs, i), error))
            return FALSE;
    return TRUE;
}
