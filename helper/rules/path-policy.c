/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "path-policy.h"

#include <string.h>

#include "aare.h"
#include "aavm-error.h"
#include "aavm-i18n.h"

static const AavmPathRule path_rules[] = {
    /* The operating system: never granted. */
    { "/bin", AAVM_PATH_RULE_DENY, N_("system binaries") },
    { "/sbin", AAVM_PATH_RULE_DENY, N_("system binaries") },
    { "/lib", AAVM_PATH_RULE_DENY, N_("system libraries") },
    { "/lib32", AAVM_PATH_RULE_DENY, N_("system libraries") },
    { "/lib64", AAVM_PATH_RULE_DENY, N_("system libraries") },
    { "/libx32", AAVM_PATH_RULE_DENY, N_("system libraries") },
    { "/usr", AAVM_PATH_RULE_DENY, N_("the operating system") },
    { "/etc", AAVM_PATH_RULE_DENY, N_("host configuration") },
    { "/proc", AAVM_PATH_RULE_DENY, N_("kernel interfaces") },
    { "/sys", AAVM_PATH_RULE_DENY, N_("kernel interfaces") },
    { "/selinux", AAVM_PATH_RULE_DENY, N_("kernel interfaces") },
    { "/lost+found", AAVM_PATH_RULE_DENY, N_("filesystem recovery") },
    { "/dev/mem", AAVM_PATH_RULE_DENY, N_("physical memory") },
    { "/dev/kmem", AAVM_PATH_RULE_DENY, N_("kernel memory") },
    { "/dev/port", AAVM_PATH_RULE_DENY, N_("I/O ports") },
    { "/dev/kmsg", AAVM_PATH_RULE_DENY, N_("the kernel log") },
    { "/var/cache/apparmor", AAVM_PATH_RULE_DENY, N_("AppArmor policy") },
    { "/var/lib/apparmor", AAVM_PATH_RULE_DENY, N_("AppArmor policy") },
    { "/run/apparmor", AAVM_PATH_RULE_DENY, N_("AppArmor policy") },
    /* Boot files and firmware: readable, never writable. */
    { "/boot", AAVM_PATH_RULE_READ_ONLY, N_("boot files") },
    { "/vmlinuz", AAVM_PATH_RULE_READ_ONLY, N_("boot files") },
    { "/vmlinuz.old", AAVM_PATH_RULE_READ_ONLY, N_("boot files") },
    { "/initrd", AAVM_PATH_RULE_READ_ONLY, N_("boot files") },
    { "/initrd.img", AAVM_PATH_RULE_READ_ONLY, N_("boot files") },
    { "/initrd.img.old", AAVM_PATH_RULE_READ_ONLY, N_("boot files") },
    { "/usr/share/AAVMF", AAVM_PATH_RULE_READ_ONLY, N_("firmware") },
    { "/usr/share/OVMF", AAVM_PATH_RULE_READ_ONLY, N_("firmware") },
    { "/usr/share/ovmf", AAVM_PATH_RULE_READ_ONLY, N_("firmware") },
    { "/usr/share/edk2", AAVM_PATH_RULE_READ_ONLY, N_("firmware") },
    { "/usr/share/edk2-ovmf", AAVM_PATH_RULE_READ_ONLY, N_("firmware") },
    { "/usr/share/qemu", AAVM_PATH_RULE_READ_ONLY, N_("firmware") },
    { "/usr/share/qemu-efi", AAVM_PATH_RULE_READ_ONLY, N_("firmware") },
    { "/usr/share/qemu-efi-aarch64", AAVM_PATH_RULE_READ_ONLY, N_("firmware") },
    { "/usr/share/qemu-efi-loongarch64", AAVM_PATH_RULE_READ_ONLY, N_("firmware") },
    { "/usr/share/qemu-efi-riscv64", AAVM_PATH_RULE_READ_ONLY, N_("firmware") },
    { "/usr/share/seabios", AAVM_PATH_RULE_READ_ONLY, N_("firmware") },
    { "/usr/lib/u-boot", AAVM_PATH_RULE_READ_ONLY, N_("firmware") },
    { "/usr/lib/riscv64-linux-gnu/opensbi", AAVM_PATH_RULE_READ_ONLY, N_("firmware") },
    { "/usr/lib/xen/boot", AAVM_PATH_RULE_READ_ONLY, N_("firmware") },
    /* Host configuration a device names for QEMU to read. */
    { "/etc/ceph", AAVM_PATH_RULE_READ_ONLY, N_("Ceph client configuration") },
    { "/etc/pki/nssdb", AAVM_PATH_RULE_READ_ONLY, N_("the NSS certificate database of smartcards") },
    /* Kernel interfaces of devices assigned to a VM ("pci*": every PCI root). */
    { "/sys/devices/pci*", AAVM_PATH_RULE_ALLOW, N_("PCI device functions") },
    { NULL, AAVM_PATH_RULE_LAST, NULL },
};

const AavmPathRule *
aavm_path_policy_rules(void)
{
    return path_rules;
}

const char *
aavm_path_rule_kind_to_string(AavmPathRuleKind kind)
{
    switch (kind) {
    case AAVM_PATH_RULE_DENY: return "deny";
    case AAVM_PATH_RULE_READ_ONLY: return "read-only";
    case AAVM_PATH_RULE_ALLOW: return "allow";
    default: return "unknown";
    }
}

gboolean
aavm_path_is_under(const char *path, const char *prefix)
{
    gsize len = strlen(prefix);

    /* "<dir>/<stem>*": any entry of <dir> whose name starts with <stem>. */
    if (len > 1 && prefix[len - 1] == '*' && prefix[len - 2] != '/')
        return strncmp(path, prefix, len - 1) == 0;

    while (len > 1 && prefix[len - 1] == '/')
        len--;
    if (len == 1 && prefix[0] == '/')
        return path[0] == '/';
    if (strncmp(path, prefix, len) != 0)
        return FALSE;
    return path[len] == '\0' || path[len] == '/';
}

const AavmPathRule *
aavm_path_policy_match(const char *path)
{
    const AavmPathRule *best = NULL;

    for (const AavmPathRule *rule = path_rules; rule->prefix; rule++) {
        if (!aavm_path_is_under(path, rule->prefix))
            continue;
        if (!best || strlen(rule->prefix) > strlen(best->prefix))
            best = rule;
    }
    return best;
}

gboolean
aavm_path_policy_check(const char *path, AavmPerm perms, GError **error)
{
    const AavmPathRule *rule = aavm_path_policy_match(path);

    if (!rule || rule->kind == AAVM_PATH_RULE_ALLOW)
        return TRUE;
    if (rule->kind == AAVM_PATH_RULE_READ_ONLY) {
        if (!(perms & AAVM_PERM_MODIFYING))
            return TRUE;
        return aavm_fail(error, AAVM_ERROR_UNSAFE_PATH,
                         _("The path '%s' is under '%s' (%s), which may only be granted read-only, but '%s' was asked for."),
                         path, rule->prefix, _(rule->why), aavm_perm_to_string(perms));
    }
    return aavm_fail(error, AAVM_ERROR_UNSAFE_PATH,
                     _("The path '%s' is under the restricted directory '%s' (%s)."),
                     path, rule->prefix, _(rule->why));
}

gboolean
aavm_path_policy_check_tree(const char *path, AavmPerm perms, GError **error)
{
    if (!aavm_path_policy_check(path, perms, error))
        return FALSE;
    for (const AavmPathRule *rule = path_rules; rule->prefix; rule++) {
        if (!aavm_path_is_under(rule->prefix, path) || strcmp(rule->prefix, path) == 0)
            continue;
        if (rule->kind == AAVM_PATH_RULE_DENY)
            return aavm_fail(error, AAVM_ERROR_UNSAFE_PATH,
                             _("Everything below '%s' cannot be granted: it includes the restricted directory '%s' (%s)."),
                             path, rule->prefix, _(rule->why));
        if (rule->kind == AAVM_PATH_RULE_READ_ONLY && (perms & AAVM_PERM_MODIFYING))
            return aavm_fail(error, AAVM_ERROR_UNSAFE_PATH,
                             _("Everything below '%s' cannot be granted '%s': it includes '%s' (%s), which may only be granted read-only."),
                             path, aavm_perm_to_string(perms), rule->prefix, _(rule->why));
    }
    return TRUE;
}

gboolean
aavm_path_policy_resolve(const AavmHost *host, const char *path, AavmMatch match,
                         AavmPerm perms, const char *what, char **out_path,
                         gboolean *out_exists, GError **error)
{
    g_autofree char *canonical = NULL;

    /* TRANSLATORS: fills the %s of "The %s is not valid UTF-8." and the
     * other messages about a string that cannot be quoted in a rule. */
    const char *what_path = _("path");

    if (!aavm_aare_check_literal(path, what_path, error) ||
        !aavm_host_canonicalize(host, path, &canonical, out_exists, error) ||
        !aavm_aare_check_literal(canonical, what_path, error) ||
        !(match == AAVM_MATCH_TREE ? aavm_path_policy_check_tree(canonical, perms, error)
                                   : aavm_path_policy_check(canonical, perms, error))) {
        g_prefix_error(error, _("Refusing %s: "), what);
        return FALSE;
    }
    *out_path = g_steal_pointer(&canonical);
    return TRUE;
}

gboolean
aavm_domain_name_check(const char *name, GError **error)
{
    if (!name || !*name)
        return aavm_fail(error, AAVM_ERROR_BAD_NAME, _("The domain name is empty."));
    if (!g_utf8_validate(name, -1, NULL))
        return aavm_fail(error, AAVM_ERROR_BAD_NAME, _("The domain name is not valid UTF-8."));
    for (const unsigned char *c = (const unsigned char *)name; *c; c++) {
        if (*c < 0x20 || *c == 0x7f) {
            g_autofree char *shown = g_strescape(name, NULL);
            return aavm_fail(error, AAVM_ERROR_BAD_NAME,
                             _("The domain name '%s' contains a control character."), shown);
        }
        if (strchr(AAVM_NAME_FORBIDDEN, *c))
            return aavm_fail(error, AAVM_ERROR_BAD_NAME,
                             _("The domain name '%s' contains the character '%c', which is not allowed."),
                             name, *c);
    }
    return TRUE;
}
