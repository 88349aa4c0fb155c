/* SPDX-License-Identifier: LGPL-2.1-or-later */
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

gboolean
aavm_rules_add_chardevs(const AavmRulesCtx *ctx, GError **error)
{
    for (guint i = 0; i < ctx->domain->chardevs->len; i++) {
        const AavmChardev *chardev = g_ptr_array_index(ctx->domain->chardevs, i);
        g_autofree char *name = chardev->target_name
            ? g_strdup_printf("%s%u (%s)", aavm_chardev_kind_to_string(chardev->kind),
                              chardev->index, chardev->target_name)
            : g_strdup_printf("%s%u", aavm_chardev_kind_to_string(chardev->kind), chardev->index);

        if (!chardev_has_path(chardev))
            continue;
        if (g_strcmp0(chardev->type, "pipe") == 0) {
            static const char *const ends[] = { ".in", ".out" };
            for (guint e = 0; e < G_N_ELEMENTS(ends); e++) {
                g_autofree char *path = g_strconcat(chardev->path, ends[e], NULL);
                g_autofree char *reason = g_strdup_printf("%s (pipe %s)", name, ends[e]);
                if (!aavm_rules_path(ctx, path, AAVM_MATCH_EXACT, AAVM_PERM_RW,
                                         reason, error))
                    return FALSE;
            }
            continue;
        }
        if (!aavm_rules_path(ctx, chardev->path, AAVM_MATCH_EXACT, AAVM_PERM_RW,
                                 name, error))
            return FALSE;
    }
    return TRUE;
}
