/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "rules.h"

#include <stdarg.h>
#include <string.h>

#include "aare.h"
#include "aavm-error.h"
#include "aavm-i18n.h"
#include "path-policy.h"
#include "rules-private.h"

/* libvirt shortens names to this many characters in per-domain directories. */
#define SHORT_NAME_CHARS 20

gboolean
aavm_rules_add_path(AavmAccessList *list, AavmOrigin origin, const AavmHost *host,
                    const char *path, AavmMatch match, AavmPerm perms, const char *reason,
                    GError **error)
{
    g_autofree char *canonical = NULL;

    g_return_val_if_fail(match != AAVM_MATCH_PATTERN, FALSE);
    if (!aavm_path_policy_resolve(host, path, match, perms, reason, &canonical, NULL, error))
        return FALSE;
    aavm_access_list_add_from(list, origin, canonical, match, perms, reason);
    return TRUE;
}

/* Directory rules: the directory itself @dir_perms, its contents @tree_perms. */
static gboolean
add_tree(AavmAccessList *list, AavmOrigin origin, const AavmHost *host, const char *dir,
         AavmPerm dir_perms, AavmPerm tree_perms, const char *reason, GError **error)
{
    return aavm_rules_add_path(list, origin, host, dir, AAVM_MATCH_DIR, dir_perms, reason,
                               error) &&
           aavm_rules_add_path(list, origin, host, dir, AAVM_MATCH_TREE, tree_perms, reason,
                               error);
}

gboolean
aavm_rules_path(const AavmRulesCtx *ctx, const char *path, AavmMatch match, AavmPerm perms,
                const char *reason, GError **error)
{
    return aavm_rules_add_path(ctx->list, ctx->origin, ctx->host, path, match, perms, reason,
                               error);
}

gboolean
aavm_rules_tree(const AavmRulesCtx *ctx, const char *dir, AavmPerm dir_perms,
                AavmPerm tree_perms, const char *reason, GError **error)
{
    return add_tree(ctx->list, ctx->origin, ctx->host, dir, dir_perms, tree_perms, reason,
                    error);
}

void
aavm_rules_pattern(const AavmRulesCtx *ctx, const char *pattern, AavmPerm perms,
                   const char *reason)
{
    aavm_access_list_add_from(ctx->list, ctx->origin, pattern, AAVM_MATCH_PATTERN, perms,
                              reason);
}

void
aavm_rules_warn(const AavmRulesCtx *ctx, const char *format, ...)
{
    va_list args;
    g_autofree char *message = NULL;

    va_start(args, format);
    message = g_strdup_vprintf(format, args);
    va_end(args);
    aavm_access_list_warn(ctx->list, "%s", message);
}

char *
aavm_rules_short_name(const AavmDomain *domain)
{
    glong name_chars = g_utf8_strlen(domain->name, -1);
    g_autofree char *short_raw = g_utf8_substring(domain->name, 0, MIN(name_chars, SHORT_NAME_CHARS));

    return g_strdup_printf("%d-%s", domain->id, short_raw);
}

/* A -f/-F argument: a trailing "/{,**}" or "/" plus "**" means the directory
 * and all below it. */
gboolean
aavm_rules_add_extra_file(AavmAccessList *list, const AavmHost *host, const char *arg,
                          const char *reason, GError **error)
{
    static const char *const tree_suffixes[] = { "/{,**}", "/**" };
    const AavmOrigin origin = AAVM_ORIGIN_EXTRA;

    for (guint i = 0; i < G_N_ELEMENTS(tree_suffixes); i++) {
        if (g_str_has_suffix(arg, tree_suffixes[i]) && strlen(arg) > strlen(tree_suffixes[i])) {
            g_autofree char *dir = g_strndup(arg, strlen(arg) - strlen(tree_suffixes[i]));
            return add_tree(list, origin, host, dir, AAVM_PERM_RWK, AAVM_PERM_RWK, reason,
                            error);
        }
    }
    return aavm_rules_add_path(list, origin, host, arg, AAVM_MATCH_EXACT, AAVM_PERM_RWK, reason,
                               error);
}

/* The VM manager's per-domain files (qemu driver only).  These are patterns
 * from trusted settings with the escaped domain name in them. */
static void
add_base(const AavmDomain *domain, const AavmConfig *config, AavmAccessList *list)
{
    g_autofree char *name = aavm_aare_escape(domain->name);
    g_autofree char *short_raw = aavm_rules_short_name(domain);
    g_autofree char *short_name = aavm_aare_escape(short_raw);
    g_autofree char *log = aavm_aare_escape(config->libvirt_log_dir);
    g_autofree char *lib = aavm_aare_escape(config->libvirt_lib_dir);
    g_autofree char *run = aavm_aare_escape(config->libvirt_run_dir);
    const struct {
        char *pattern;
        AavmPerm perms;
        const char *reason;
    } base[] = {
        { g_strdup_printf("%s/**/%s.log", log, name), AAVM_PERM_WRITE, "log file" },
        { g_strdup_printf("%s/qemu/domain-%s/monitor.sock", lib, name), AAVM_PERM_RW,
          "monitor socket" },
        { g_strdup_printf("%s/qemu/domain-%s/*", lib, short_name),
          AAVM_PERM_RW, "per-domain state directory" },
        { g_strdup_printf("%s/**/%s.pid", run, name), AAVM_PERM_RWK, "pid file" },
        { g_strdup_printf("%s/**/*.tunnelmigrate.dest.%s", run, name), AAVM_PERM_RW,
          "tunnelled migration" },
    };

    for (guint i = 0; i < G_N_ELEMENTS(base); i++) {
        aavm_access_list_add_from(list, AAVM_ORIGIN_BASE, base[i].pattern, AAVM_MATCH_PATTERN,
                                  base[i].perms, base[i].reason);
        g_free(base[i].pattern);
    }
}

gboolean
aavm_rules_build(const AavmDomain *domain, const AavmHost *host, const AavmConfig *config,
                 AavmAccessList *list, GError **error)
{
    static gboolean (*const families[])(const AavmRulesCtx *ctx, GError **error) = {
        aavm_rules_add_disks,    aavm_rules_add_chardevs, aavm_rules_add_boot,
        aavm_rules_add_graphics, aavm_rules_add_hostdevs, aavm_rules_add_filesystems,
        aavm_rules_add_memory,   aavm_rules_add_tpms,     aavm_rules_add_misc,
        aavm_rules_add_passthrough,
    };
    const AavmRulesCtx ctx = { domain, host, config, list, AAVM_ORIGIN_DEVICE };

    if (!aavm_domain_name_check(domain->name, error))
        return FALSE;
    /* A driver whose profile includes no .files (lxc) gets no rules from
     * its devices: there is nothing to grant, so nothing to refuse. */
    if (!aavm_domain_uses_files(domain))
        return TRUE;
    for (guint i = 0; i < domain->warnings->len; i++)
        aavm_access_list_warn(list, "%s", (const char *)g_ptr_array_index(domain->warnings, i));
    if (aavm_domain_is_qemu(domain))
        add_base(domain, config, list);
    for (guint i = 0; i < G_N_ELEMENTS(families); i++)
        if (!families[i](&ctx, error))
            return FALSE;
    return TRUE;
}
