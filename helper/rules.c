/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "rules.h"

#include <string.h>

#include "aare.h"
#include "aavm-error.h"
#include "aavm-i18n.h"
#include "path-policy.h"

/* libvirt shortens names to this many characters in per-domain directories. */
#define SHORT_NAME_CHARS 20

gboolean
aavm_rules_add_path(AavmAccessList *list, const AavmHost *host, const char *path,
                    AavmMatch match, AavmPerm perms, const char *reason, GError **error)
{
    g_autofree char *canonical = NULL;

    g_return_val_if_fail(match != AAVM_MATCH_PATTERN, FALSE);
    if (!aavm_path_policy_resolve(host, path, match, perms, reason, &canonical, NULL, error))
        return FALSE;
    aavm_access_list_add(list, canonical, match, perms, reason);
    return TRUE;
}

/* Directory rules: the directory itself readable, its contents @perms. */
static gboolean
add_tree(AavmAccessList *list, const AavmHost *host, const char *dir, AavmPerm dir_perms,
         AavmPerm tree_perms, const char *reason, GError **error)
{
    return aavm_rules_add_path(list, host, dir, AAVM_MATCH_DIR, dir_perms, reason, error) &&
           aavm_rules_add_path(list, host, dir, AAVM_MATCH_TREE, tree_perms, reason, error);
}

gboolean
aavm_rules_add_extra_file(AavmAccessList *list, const AavmHost *host, const char *arg,
                          const char *reason, GError **error)
{
    static const char *const tree_suffixes[] = { "/{,**}", "/**" };

    for (guint i = 0; i < G_N_ELEMENTS(tree_suffixes); i++) {
        if (g_str_has_suffix(arg, tree_suffixes[i]) && strlen(arg) > strlen(tree_suffixes[i])) {
            g_autofree char *dir = g_strndup(arg, strlen(arg) - strlen(tree_suffixes[i]));
            return add_tree(list, host, dir, AAVM_PERM_RWK, AAVM_PERM_RWK, reason, error);
        }
    }
    return aavm_rules_add_path(list, host, arg, AAVM_MATCH_EXACT, AAVM_PERM_RWK, reason, error);
}

static gboolean
add_disks(const AavmDomain *domain, const AavmHost *host, AavmAccessList *list,
          GError **error)
{
    for (guint i = 0; i < domain->disks->len; i++) {
        const AavmDisk *disk = g_ptr_array_index(domain->disks, i);
        g_autofree char *reason = g_strdup_printf("disk %s", disk->target ? disk->target : "(no target)");
        AavmPerm perms = disk->readonly ? AAVM_PERM_RK : AAVM_PERM_RWK;
        gboolean ok = TRUE;

        if (!disk->source)
            continue; /* empty cdrom/floppy, or not a local source */
        if (disk->type == AAVM_DISK_DIR)
            ok = add_tree(list, host, disk->source, AAVM_PERM_READ, perms, reason, error);
        else
            ok = aavm_rules_add_path(list, host, disk->source, AAVM_MATCH_EXACT, perms,
                                     reason, error);
        if (!ok)
            return FALSE;
    }
    return TRUE;
}

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

static gboolean
add_chardevs(const AavmDomain *domain, const AavmHost *host, AavmAccessList *list,
             GError **error)
{
    for (guint i = 0; i < domain->chardevs->len; i++) {
        const AavmChardev *chardev = g_ptr_array_index(domain->chardevs, i);
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
                if (!aavm_rules_add_path(list, host, path, AAVM_MATCH_EXACT, AAVM_PERM_RW,
                                         reason, error))
                    return FALSE;
            }
            continue;
        }
        if (!aavm_rules_add_path(list, host, chardev->path, AAVM_MATCH_EXACT, AAVM_PERM_RW,
                                 name, error))
            return FALSE;
    }
    return TRUE;
}

static gboolean
add_boot(const AavmDomain *domain, const AavmHost *host, AavmAccessList *list,
         GError **error)
{
    const struct {
        const char *path;
        AavmPerm perms;
        const char *reason;
    } boot[] = {
        { domain->kernel, AAVM_PERM_READ, "kernel" },
        { domain->initrd, AAVM_PERM_READ, "initrd" },
        { domain->dtb, AAVM_PERM_READ, "dtb" },
        { domain->loader,
          (domain->loader_readonly == AAVM_TRISTATE_YES ||
           g_strcmp0(domain->loader_type, "rom") == 0) ? AAVM_PERM_RK : AAVM_PERM_RWK,
          "loader" },
        { domain->nvram, AAVM_PERM_RWK, "nvram" },
    };

    for (guint i = 0; i < G_N_ELEMENTS(boot); i++) {
        if (boot[i].path &&
            !aavm_rules_add_path(list, host, boot[i].path, AAVM_MATCH_EXACT, boot[i].perms,
                                 boot[i].reason, error))
            return FALSE;
    }
    return TRUE;
}

/* The VM manager's per-domain files (qemu driver only).  These are patterns
 * from trusted settings with the escaped domain name in them. */
static void
add_base(const AavmDomain *domain, const AavmConfig *config, AavmAccessList *list)
{
    g_autofree char *name = aavm_aare_escape(domain->name);
    glong name_chars = g_utf8_strlen(domain->name, -1);
    g_autofree char *short_raw = g_utf8_substring(domain->name, 0, MIN(name_chars, SHORT_NAME_CHARS));
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
        { g_strdup_printf("%s/qemu/domain-%d-%s/*", lib, domain->id, short_name),
          AAVM_PERM_RW, "per-domain state directory" },
        { g_strdup_printf("%s/**/%s.pid", run, name), AAVM_PERM_RWK, "pid file" },
        { g_strdup_printf("%s/**/*.tunnelmigrate.dest.%s", run, name), AAVM_PERM_RW,
          "tunnelled migration" },
    };

    for (guint i = 0; i < G_N_ELEMENTS(base); i++) {
        aavm_access_list_add(list, base[i].pattern, AAVM_MATCH_PATTERN, base[i].perms,
                             base[i].reason);
        g_free(base[i].pattern);
    }
}

gboolean
aavm_rules_build(const AavmDomain *domain, const AavmHost *host, const AavmConfig *config,
                 AavmAccessList *list, GError **error)
{
    if (!aavm_domain_name_check(domain->name, error))
        return FALSE;
    if (aavm_domain_is_qemu(domain))
        add_base(domain, config, list);
    return add_disks(domain, host, list, error) &&
           add_chardevs(domain, host, list, error) &&
           add_boot(domain, host, list, error);
}
