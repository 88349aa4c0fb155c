/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "rules-private.h"

#include "aavm-error.h"
#include "aavm-i18n.h"

gboolean
aavm_rules_add_disks(const AavmRulesCtx *ctx, GError **error)
{
    for (guint i = 0; i < ctx->domain->disks->len; i++) {
        const AavmDisk *disk = g_ptr_array_index(ctx->domain->disks, i);
        g_autofree char *reason = g_strdup_printf("disk %s", disk->target ? disk->target : "(no target)");
        AavmPerm perms = disk->readonly ? AAVM_PERM_RK : AAVM_PERM_RWK;
        gboolean ok = TRUE;

        if (!disk->source)
            continue; /* empty cdrom/floppy, or not a local source */
        if (disk->type == AAVM_DISK_DIR)
            ok = aavm_rules_tree(ctx, disk->source, AAVM_PERM_READ, perms, reason, error);
        else
            ok = aavm_rules_path(ctx, disk->source, AAVM_MATCH_EXACT, perms,
                                     reason, error);
        if (!ok)
            return FALSE;
    }
    return TRUE;
}
