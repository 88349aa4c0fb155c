/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "rules-private.h"

#include "aavm-error.h"
#include "aavm-i18n.h"

/* The varstore the qemu driver creates for <nvram/> without a path (from
 * its template): "<lib>/qemu/nvram/<name>_VARS.fd".  The domain name was
 * checked (no '/'), so it is one path component here. */
static gboolean
add_default_nvram(const AavmRulesCtx *ctx, GError **error)
{
    g_autofree char *path = g_strdup_printf("%s/qemu/nvram/%s_VARS.fd",
                                            ctx->config->libvirt_lib_dir, ctx->domain->name);
    return aavm_rules_path(ctx, path, AAVM_MATCH_EXACT, AAVM_PERM_RWK, "nvram (default path)",
                           error);
}

/* <acpi><table> files and <sysinfo type='fwcfg'> entry files: read only. */
static gboolean
add_firmware_tables(const AavmRulesCtx *ctx, GError **error)
{
    for (guint i = 0; i < ctx->domain->acpi_tables->len; i++) {
        const AavmAcpiTable *table = g_ptr_array_index(ctx->domain->acpi_tables, i);
        g_autofree char *reason = g_strdup_printf("acpi table %s",
                                                  table->type ? table->type : "?");

        if (!table->path)
            continue;
        if (!aavm_rules_path(ctx, table->path, AAVM_MATCH_EXACT, AAVM_PERM_READ, reason, error))
            return FALSE;
    }
    for (guint i = 0; i < ctx->domain->fwcfg->len; i++) {
        const AavmFwcfgEntry *entry = g_ptr_array_index(ctx->domain->fwcfg, i);
        g_autofree char *reason = g_strdup_printf("fw_cfg entry %s",
                                                  entry->name ? entry->name : "?");

        if (!entry->file)
            continue;
        if (!aavm_rules_path(ctx, entry->file, AAVM_MATCH_EXACT, AAVM_PERM_READ, reason, error))
            return FALSE;
    }
    return TRUE;
}

gboolean
aavm_rules_add_boot(const AavmRulesCtx *ctx, GError **error)
{
    const AavmDomain *domain = ctx->domain;
    const struct {
        const char *path;
        AavmPerm perms;
        const char *reason;
    } boot[] = {
        { domain->kernel, AAVM_PERM_READ, "kernel" },
        { domain->initrd, AAVM_PERM_READ, "initrd" },
        { domain->dtb, AAVM_PERM_READ, "dtb" },
        { domain->shim, AAVM_PERM_READ, "shim" },
        { domain->loader,
          (domain->loader_readonly == AAVM_TRISTATE_YES ||
           g_strcmp0(domain->loader_type, "rom") == 0) ? AAVM_PERM_RK : AAVM_PERM_RWK,
          "loader" },
        { domain->nvram, AAVM_PERM_RWK, "nvram" },
        { domain->varstore, AAVM_PERM_RWK, "varstore" },
        { domain->pstore, AAVM_PERM_RW, "pstore (acpi-erst)" },
    };

    for (guint i = 0; i < G_N_ELEMENTS(boot); i++) {
        if (boot[i].path &&
            !aavm_rules_path(ctx, boot[i].path, AAVM_MATCH_EXACT, boot[i].perms,
                             boot[i].reason, error))
            return FALSE;
    }
    if (domain->nvram_given && !domain->nvram && !domain->nvram_network &&
        aavm_domain_is_qemu(domain) && !add_default_nvram(ctx, error))
        return FALSE;
    return add_firmware_tables(ctx, error);
}
