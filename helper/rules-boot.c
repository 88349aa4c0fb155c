/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "rules-private.h"

#include "aavm-error.h"
#include "aavm-i18n.h"

gboolean
aavm_rules_add_boot(const AavmRulesCtx *ctx, GError **error)
{
    const struct {
        const char *path;
        AavmPerm perms;
        const char *reason;
    } boot[] = {
        { ctx->domain->kernel, AAVM_PERM_READ, "kernel" },
        { ctx->domain->initrd, AAVM_PERM_READ, "initrd" },
        { ctx->domain->dtb, AAVM_PERM_READ, "dtb" },
        { ctx->domain->loader,
          (ctx->domain->loader_readonly == AAVM_TRISTATE_YES ||
           g_strcmp0(ctx->domain->loader_type, "rom") == 0) ? AAVM_PERM_RK : AAVM_PERM_RWK,
          "loader" },
        { ctx->domain->nvram, AAVM_PERM_RWK, "nvram" },
    };

    for (guint i = 0; i < G_N_ELEMENTS(boot); i++) {
        if (boot[i].path &&
            !aavm_rules_path(ctx, boot[i].path, AAVM_MATCH_EXACT, boot[i].perms,
                                 boot[i].reason, error))
            return FALSE;
    }
    return TRUE;
}
