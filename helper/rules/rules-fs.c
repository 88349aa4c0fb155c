/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rules-fs.c: <filesystem>: 9p shares, the socket of an external
 * virtiofsd, file and block filesystems. */
#include "rules-private.h"

#include "aavm-error.h"
#include "aavm-i18n.h"

/* QEMU's own 9p server (driver absent, path or handle) opens the shared
 * tree itself. */
static gboolean
is_9p(const AavmFilesystem *fs)
{
    return !fs->driver || g_strcmp0(fs->driver, "path") == 0 ||
           g_strcmp0(fs->driver, "handle") == 0;
}

/* type='mount': a 9p tree (the directory r, its contents rwl, or r when
 * read-only); virtiofs: only the vhost-user socket of an external
 * virtiofsd -- the daemon, not QEMU, opens the shared directory, and the
 * socket of a virtiofsd libvirt starts is in the per-domain directory. */
static gboolean
add_mount(const AavmRulesCtx *ctx, const AavmFilesystem *fs, const char *reason,
          GError **error)
{
    if (g_strcmp0(fs->driver, "virtiofs") == 0)
        return !fs->socket ||
               aavm_rules_path(ctx, fs->socket, AAVM_MATCH_EXACT, AAVM_PERM_RW, reason, error);
    if (!is_9p(fs) || !fs->source)
        return TRUE;
    return aavm_rules_tree(ctx, fs->source, AAVM_PERM_READ,
                           fs->readonly ? AAVM_PERM_READ : AAVM_PERM_RW | AAVM_PERM_LINK,
                           reason, error);
}

/* type='file' and 'block': the image or device, rw (r when read-only). */
static gboolean
add_image(const AavmRulesCtx *ctx, const AavmFilesystem *fs, const char *reason,
          GError **error)
{
    if (!fs->source)
        return TRUE;
    return aavm_rules_path(ctx, fs->source, AAVM_MATCH_EXACT,
                           fs->readonly ? AAVM_PERM_READ : AAVM_PERM_RW, reason, error);
}

gboolean
aavm_rules_add_filesystems(const AavmRulesCtx *ctx, GError **error)
{
    for (guint i = 0; i < ctx->domain->filesystems->len; i++) {
        const AavmFilesystem *fs = g_ptr_array_index(ctx->domain->filesystems, i);
        g_autofree char *reason = g_strdup_printf("filesystem%u (%s)", fs->index,
                                                  fs->target ? fs->target : "no target");
        gboolean ok = TRUE;

        if (g_strcmp0(fs->type, "mount") == 0)
            ok = add_mount(ctx, fs, reason, error);
        else if (g_strcmp0(fs->type, "file") == 0 || g_strcmp0(fs->type, "block") == 0)
            ok = add_image(ctx, fs, reason, error);
        /* ram, bind, template: nothing on the host; volume: warned when parsed. */
        if (!ok)
            return FALSE;
    }
    return TRUE;
}
