/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-path-policy.c: the table of host paths a VM may be granted, the
 * resolve pipeline on the fake root, and domain name checks. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "testutil.h"
#include "aavm-error.h"
#include "path-policy.h"

/* ---- aavm_path_is_under ------------------------------------------------ */

typedef struct {
    const char *path;
    const char *prefix;
    gboolean under;
} UnderCase;

static void
path_is_under_one(const UnderCase *c)
{
    gboolean got = aavm_path_is_under(c->path, c->prefix);

    if (got != c->under)
        fail_msg("aavm_path_is_under('%s', '%s') = %d, expected %d", c->path, c->prefix,
                 got, c->under);
}

static void
test_path_policy_is_under_components(void **state)
{
    static const UnderCase cases[] = {
        { "/lib", "/lib", TRUE },
        { "/lib/x", "/lib", TRUE },
        { "/lib/x/y/z", "/lib", TRUE },
        { "/lib/", "/lib", TRUE },
        { "/lib/x", "/lib/", TRUE },
        { "/lib", "/lib/", TRUE },
        { "/libvirt-images/x", "/lib", FALSE },
        { "/libvirt-images", "/lib", FALSE },
        { "/lib64/x", "/lib", FALSE },
        { "/lib.old", "/lib", FALSE },
        { "/li", "/lib", FALSE },
        { "/", "/lib", FALSE },
        { "/x/lib", "/lib", FALSE },
        { "/usr/share/OVMF/x", "/usr/share/OVMF", TRUE },
        { "/usr/share/OVMF-x/y", "/usr/share/OVMF", FALSE },
        { "/usr/share/ovmf/x", "/usr/share/OVMF", FALSE }, /* case matters */
        { "/anything", "/", TRUE },
        { "/", "/", TRUE },
    };

    (void)state;
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
        path_is_under_one(&cases[i]);
}

/* ---- aavm_path_policy_check -------------------------------------------- */

typedef struct {
    const char *path;
    AavmPerm perms;
    gboolean allowed;
    const char *rule_prefix; /* the rule that must match, NULL for none */
} PolicyCase;

static void
path_policy_check_one(const PolicyCase *c)
{
    g_autoptr(GError) error = NULL;
    const AavmPathRule *rule = aavm_path_policy_match(c->path);
    gboolean ok = aavm_path_policy_check(c->path, c->perms, &error);

    if (c->rule_prefix) {
        if (!rule || g_strcmp0(rule->prefix, c->rule_prefix) != 0)
            fail_msg("'%s' matched rule '%s', expected '%s'", c->path,
                     rule ? rule->prefix : "(none)", c->rule_prefix);
    } else if (rule) {
        fail_msg("'%s' matched rule '%s', expected none", c->path, rule->prefix);
    }

    if (c->allowed) {
        if (!ok)
            fail_msg("'%s' (%s) refused: %s", c->path, aavm_perm_to_string(c->perms),
                     error ? error->message : "(no error)");
        assert_null(error);
    } else {
        if (ok)
            fail_msg("'%s' (%s) allowed", c->path, aavm_perm_to_string(c->perms));
        assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_UNSAFE_PATH));
        /* The message names the path and the rule. */
        assert_non_null(strstr(error->message, c->path));
        assert_non_null(strstr(error->message, c->rule_prefix));
    }
}

static void
test_path_policy_check_table(void **state)
{
    static const PolicyCase cases[] = {
        /* Matching is by whole components. */
        { "/libvirt-images/x", AAVM_PERM_RWK, TRUE, NULL },
        { "/lib/x", AAVM_PERM_READ, FALSE, "/lib" },
        { "/lib", AAVM_PERM_READ, FALSE, "/lib" },
        { "/lib64/x", AAVM_PERM_READ, FALSE, "/lib64" },
        { "/lib32/x", AAVM_PERM_READ, FALSE, "/lib32" },
        { "/bin/sh", AAVM_PERM_READ, FALSE, "/bin" },
        { "/sbin/init", AAVM_PERM_READ, FALSE, "/sbin" },
        { "/usr/libexec/qemu-bridge-helper", AAVM_PERM_READ, FALSE, "/usr" },
        { "/usr/bin/qemu-system-x86_64", AAVM_PERM_READ, FALSE, "/usr" },
        { "/usr", AAVM_PERM_READ, FALSE, "/usr" },
        /* Firmware: read-only. */
        { "/usr/share/OVMF/x", AAVM_PERM_READ, TRUE, "/usr/share/OVMF" },
        { "/usr/share/OVMF/OVMF_CODE.fd", AAVM_PERM_RK, TRUE, "/usr/share/OVMF" },
        { "/usr/share/OVMF/x", AAVM_PERM_READ | AAVM_PERM_MMAP, TRUE, "/usr/share/OVMF" },
        { "/usr/share/OVMF/x", AAVM_PERM_RW, FALSE, "/usr/share/OVMF" },
        { "/usr/share/OVMF/x", AAVM_PERM_WRITE, FALSE, "/usr/share/OVMF" },
        { "/usr/share/OVMF/x", AAVM_PERM_READ | AAVM_PERM_LINK, FALSE, "/usr/share/OVMF" },
        { "/usr/share/OVMF", AAVM_PERM_READ, TRUE, "/usr/share/OVMF" },
        { "/usr/share/qemu/bios.bin", AAVM_PERM_READ, TRUE, "/usr/share/qemu" },
        { "/usr/share/qemu-efi-aarch64/QEMU_EFI.fd", AAVM_PERM_READ, TRUE,
          "/usr/share/qemu-efi-aarch64" },
        { "/usr/lib/u-boot/qemu/u-boot.bin", AAVM_PERM_READ, TRUE, "/usr/lib/u-boot" },
        /* The rest of /usr/share is not firmware. */
        { "/usr/share/foo", AAVM_PERM_READ, FALSE, "/usr" },
        { "/usr/share/OVMFx/y", AAVM_PERM_READ, FALSE, "/usr" },
        { "/usr/share", AAVM_PERM_READ, FALSE, "/usr" },
        /* Host configuration: not even readable. */
        { "/etc/x", AAVM_PERM_READ, FALSE, "/etc" },
        { "/etc/shadow", AAVM_PERM_READ, FALSE, "/etc" },
        { "/etc", AAVM_PERM_READ, FALSE, "/etc" },
        /* Kernel interfaces. */
        { "/proc/self/mem", AAVM_PERM_READ, FALSE, "/proc" },
        { "/proc", AAVM_PERM_READ, FALSE, "/proc" },
        { "/sys/firmware/efi/efivars/x", AAVM_PERM_READ, FALSE, "/sys" },
        { "/dev/mem", AAVM_PERM_READ, FALSE, "/dev/mem" },
        { "/dev/kmem", AAVM_PERM_RW, FALSE, "/dev/kmem" },
        { "/dev/port", AAVM_PERM_RW, FALSE, "/dev/port" },
        /* Other devices are not in the table. */
        { "/dev/memory-card", AAVM_PERM_RW, TRUE, NULL },
        { "/dev/sdb", AAVM_PERM_RWK, TRUE, NULL },
        /* AppArmor's own policy. */
        { "/var/lib/apparmor/x", AAVM_PERM_READ, FALSE, "/var/lib/apparmor" },
        { "/run/apparmor/x", AAVM_PERM_READ, FALSE, "/run/apparmor" },
        /* Boot files: read-only only. */
        { "/boot/vmlinuz-test", AAVM_PERM_READ, TRUE, "/boot" },
        { "/boot/initrd-test", AAVM_PERM_RK, TRUE, "/boot" },
        { "/boot/vmlinuz-test", AAVM_PERM_RW, FALSE, "/boot" },
        { "/boot/vmlinuz-test", AAVM_PERM_RWK, FALSE, "/boot" },
        { "/vmlinuz", AAVM_PERM_READ, TRUE, "/vmlinuz" },
        { "/vmlinuz", AAVM_PERM_RW, FALSE, "/vmlinuz" },
        { "/initrd.img", AAVM_PERM_RW, FALSE, "/initrd.img" },
        { "/bootx/y", AAVM_PERM_RW, TRUE, NULL },
        /* Where disks live. */
        { "/var/lib/libvirt/images/x.img", AAVM_PERM_RW, TRUE, NULL },
        { "/var/lib/libvirt/images/x.img", AAVM_PERM_RWK, TRUE, NULL },
        { "/var/lib/libvirt/qemu/nvram/test_VARS.fd", AAVM_PERM_RWK, TRUE, NULL },
        { "/home/u/x", AAVM_PERM_RW, TRUE, NULL },
        { "/home/u/x", AAVM_PERM_ALL, TRUE, NULL },
        { "/srv/share/sub/file.txt", AAVM_PERM_RWK, TRUE, NULL },
        { "/tmp/x", AAVM_PERM_RW, TRUE, NULL },
    };

    (void)state;
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
        path_policy_check_one(&cases[i]);
}

/* ---- aavm_path_policy_check_tree ---------------------------------------- */

typedef struct {
    const char *dir;
    AavmPerm perms;
    gboolean allowed;
    const char *named; /* a prefix the refusal must name */
} TreeCase;

static void
test_path_policy_check_tree_table(void **state)
{
    static const TreeCase cases[] = {
        /* A tree that would cover a denied prefix is refused, even read-only. */
        { "/", AAVM_PERM_READ, FALSE, "/bin" },
        { "/", AAVM_PERM_RWK, FALSE, "/bin" },
        { "/dev", AAVM_PERM_RK, FALSE, "/dev/mem" },
        { "/var", AAVM_PERM_RWK, FALSE, "/var/cache/apparmor" },
        { "/var/lib", AAVM_PERM_READ, FALSE, "/var/lib/apparmor" },
        { "/run", AAVM_PERM_RW, FALSE, "/run/apparmor" },
        /* A denied directory itself. */
        { "/etc", AAVM_PERM_READ, FALSE, "/etc" },
        { "/usr/share", AAVM_PERM_READ, FALSE, "/usr" },
        /* Read-only prefixes below: fine to read, not to write. */
        { "/usr/share/OVMF", AAVM_PERM_RK, TRUE, NULL },
        { "/usr/share/OVMF", AAVM_PERM_RWK, FALSE, "/usr/share/OVMF" },
        /* Ordinary places. */
        { "/var/lib/libvirt/images", AAVM_PERM_RWK, TRUE, NULL },
        { "/dev/hugepages", AAVM_PERM_RWK, TRUE, NULL },
        { "/srv/share", AAVM_PERM_RWK | AAVM_PERM_LINK, TRUE, NULL },
        { "/libvirt-images", AAVM_PERM_RWK, TRUE, NULL },
    };

    (void)state;
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(GError) error = NULL;
        gboolean ok = aavm_path_policy_check_tree(cases[i].dir, cases[i].perms, &error);

        if (cases[i].allowed) {
            if (!ok)
                fail_msg("tree '%s' (%s) refused: %s", cases[i].dir,
                         aavm_perm_to_string(cases[i].perms), error->message);
            continue;
        }
        if (ok)
            fail_msg("tree '%s' (%s) allowed", cases[i].dir, aavm_perm_to_string(cases[i].perms));
        assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_UNSAFE_PATH));
        if (!strstr(error->message, cases[i].named))
            fail_msg("refusal of tree '%s' does not name '%s': %s", cases[i].dir,
                     cases[i].named, error->message);
    }
}

/* Every denied row makes a tree over its parent directory fail. */
static void
test_path_policy_check_tree_every_deny_row(void **state)
{
    (void)state;
    for (const AavmPathRule *rule = aavm_path_policy_rules(); rule->prefix; rule++) {
        g_autofree char *parent = g_path_get_dirname(rule->prefix);
        g_autoptr(GError) error = NULL;

        if (rule->kind != AAVM_PATH_RULE_DENY)
            continue;
        if (aavm_path_policy_check_tree(parent, AAVM_PERM_READ, &error))
            fail_msg("a tree over '%s' does not refuse '%s'", parent, rule->prefix);
        assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_UNSAFE_PATH));
    }
}

static void
test_path_policy_kind_to_string(void **state)
{
    (void)state;
    assert_string_equal(aavm_path_rule_kind_to_string(AAVM_PATH_RULE_DENY), "deny");
    assert_string_equal(aavm_path_rule_kind_to_string(AAVM_PATH_RULE_READ_ONLY), "read-only");
    assert_string_equal(aavm_path_rule_kind_to_string(AAVM_PATH_RULE_ALLOW), "allow");
    assert_string_equal(aavm_path_rule_kind_to_string(AAVM_PATH_RULE_LAST), "unknown");
}

/* ---- the table itself -------------------------------------------------- */

/* Whether @path is allowed for @perms; on refusal the error must be
 * AAVM_ERROR_UNSAFE_PATH. */
static gboolean
check_allowed(const char *path, AavmPerm perms)
{
    g_autoptr(GError) error = NULL;
    gboolean ok = aavm_path_policy_check(path, perms, &error);

    if (ok)
        assert_null(error);
    else
        assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_UNSAFE_PATH));
    return ok;
}

/* Whether @rule's prefix and a path below it behave as its kind says. */
static gboolean
rule_behaves(const AavmPathRule *rule)
{
    g_autofree char *below = g_strconcat(rule->prefix, "/x", NULL);
    const AavmPathRule *self = aavm_path_policy_match(rule->prefix);
    const AavmPathRule *child = aavm_path_policy_match(below);

    /* The row is the most specific one for its own prefix. */
    if (self != rule)
        return FALSE;
    /* Nothing more specific in the table covers "<prefix>/x" either. */
    if (child != rule)
        return FALSE;
    switch (rule->kind) {
    case AAVM_PATH_RULE_DENY:
        return !check_allowed(rule->prefix, AAVM_PERM_READ) &&
               !check_allowed(below, AAVM_PERM_READ) &&
               !check_allowed(below, AAVM_PERM_RWK);
    case AAVM_PATH_RULE_READ_ONLY:
        return check_allowed(rule->prefix, AAVM_PERM_READ) &&
               check_allowed(below, AAVM_PERM_READ | AAVM_PERM_LOCK | AAVM_PERM_MMAP) &&
               !check_allowed(below, AAVM_PERM_RW) &&
               !check_allowed(below, AAVM_PERM_WRITE) &&
               !check_allowed(below, AAVM_PERM_READ | AAVM_PERM_LINK);
    case AAVM_PATH_RULE_ALLOW:
        return check_allowed(rule->prefix, AAVM_PERM_ALL) &&
               check_allowed(below, AAVM_PERM_ALL);
    default:
        return FALSE;
    }
}

static void
test_path_policy_rules_behave_as_kind(void **state)
{
    const AavmPathRule *rules = aavm_path_policy_rules();
    guint n = 0;

    (void)state;
    assert_non_null(rules);
    for (const AavmPathRule *rule = rules; rule->prefix; rule++, n++) {
        if (!rule_behaves(rule))
            fail_msg("rule %u '%s' (%s) does not behave as its kind says", n, rule->prefix,
                     aavm_path_rule_kind_to_string(rule->kind));
    }
    /* The table is not empty and has the rows the tests above rely on. */
    assert_true(n >= 10);
}

static void
test_path_policy_rules_well_formed(void **state)
{
    const AavmPathRule *rules = aavm_path_policy_rules();

    (void)state;
    for (const AavmPathRule *rule = rules; rule->prefix; rule++) {
        gsize len = strlen(rule->prefix);

        /* Absolute, canonical, no trailing slash, not the root itself. */
        assert_true(len > 1);
        assert_int_equal(rule->prefix[0], '/');
        assert_true(rule->prefix[len - 1] != '/');
        assert_null(strstr(rule->prefix, "//"));
        assert_null(strstr(rule->prefix, "/./"));
        assert_null(strstr(rule->prefix, "/../"));
        assert_true(rule->kind < AAVM_PATH_RULE_LAST);
        assert_non_null(rule->why);
        assert_true(*rule->why != '\0');
        /* No prefix listed twice. */
        for (const AavmPathRule *other = rule + 1; other->prefix; other++)
            assert_string_not_equal(rule->prefix, other->prefix);
    }
}

static void
test_path_policy_rules_expected_rows(void **state)
{
    static const struct {
        const char *prefix;
        AavmPathRuleKind kind;
    } expected[] = {
        { "/bin", AAVM_PATH_RULE_DENY },
        { "/sbin", AAVM_PATH_RULE_DENY },
        { "/lib", AAVM_PATH_RULE_DENY },
        { "/lib64", AAVM_PATH_RULE_DENY },
        { "/usr", AAVM_PATH_RULE_DENY },
        { "/etc", AAVM_PATH_RULE_DENY },
        { "/proc", AAVM_PATH_RULE_DENY },
        { "/sys", AAVM_PATH_RULE_DENY },
        { "/dev/mem", AAVM_PATH_RULE_DENY },
        { "/dev/kmem", AAVM_PATH_RULE_DENY },
        { "/boot", AAVM_PATH_RULE_READ_ONLY },
        { "/usr/share/OVMF", AAVM_PATH_RULE_READ_ONLY },
        { "/usr/share/AAVMF", AAVM_PATH_RULE_READ_ONLY },
    };
    const AavmPathRule *rules = aavm_path_policy_rules();

    (void)state;
    for (guint i = 0; i < G_N_ELEMENTS(expected); i++) {
        const AavmPathRule *found = NULL;

        for (const AavmPathRule *rule = rules; rule->prefix; rule++)
            if (strcmp(rule->prefix, expected[i].prefix) == 0)
                found = rule;
        if (!found)
            fail_msg("no rule for '%s'", expected[i].prefix);
        assert_int_equal(found->kind, expected[i].kind);
    }
}

/* ---- aavm_path_policy_resolve on the fake root ------------------------- */

static int
setup_host(void **state)
{
    g_autofree char *root = aavm_test_fakeroot();
    g_autoptr(GError) error = NULL;
    AavmHost *host = aavm_host_new(root, &error);

    if (!host) {
        fprintf(stderr, "cannot open the fake root '%s': %s\n", root, error->message);
        return -1;
    }
    *state = host;
    return 0;
}

static int
teardown_host(void **state)
{
    aavm_host_free(*state);
    *state = NULL;
    return 0;
}

typedef struct {
    const char *path;
    AavmPerm perms;
    const char *canonical; /* expected result, NULL when refused */
    gboolean exists;
} ResolveCase;

static void
path_policy_resolve_one(const AavmHost *host, const ResolveCase *c)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *out = NULL;
    gboolean exists = !c->exists;
    gboolean ok = aavm_path_policy_resolve(host, c->path, AAVM_MATCH_EXACT, c->perms, "disk 'vda'",
                                           &out, &exists, &error);

    if (c->canonical) {
        if (!ok)
            fail_msg("'%s' refused: %s", c->path, error ? error->message : "(no error)");
        assert_null(error);
        assert_non_null(out);
        assert_string_equal(out, c->canonical);
        assert_int_equal(exists, c->exists);
    } else {
        if (ok)
            fail_msg("'%s' allowed as '%s'", c->path, out ? out : "(null)");
        assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_UNSAFE_PATH));
        assert_null(out);
        /* The message says what was refused. */
        assert_non_null(strstr(error->message, "disk 'vda'"));
    }
}

static void
test_path_policy_resolve_table(void **state)
{
    static const ResolveCase cases[] = {
        /* Allowed, canonical already. */
        { "/var/lib/libvirt/images/disk.qcow2", AAVM_PERM_RWK,
          "/var/lib/libvirt/images/disk.qcow2", TRUE },
        { "/var/lib/libvirt/images/new.qcow2", AAVM_PERM_RWK,
          "/var/lib/libvirt/images/new.qcow2", FALSE },
        { "/libvirt-images/x.img", AAVM_PERM_RWK, "/libvirt-images/x.img", TRUE },
        { "/usr/share/OVMF/OVMF_CODE.fd", AAVM_PERM_RK, "/usr/share/OVMF/OVMF_CODE.fd", TRUE },
        { "/boot/vmlinuz-test", AAVM_PERM_READ, "/boot/vmlinuz-test", TRUE },
        /* Canonicalised. */
        { "/images-link/disk.qcow2", AAVM_PERM_RWK, "/var/lib/libvirt/images/disk.qcow2", TRUE },
        { "/var/lib/libvirt/images/link-to-disk.img", AAVM_PERM_RWK,
          "/var/lib/libvirt/images/disk.qcow2", TRUE },
        { "/var/lib/libvirt/images/../images/disk.qcow2", AAVM_PERM_RWK,
          "/var/lib/libvirt/images/disk.qcow2", TRUE },
        { "/var/lib/libvirt/qemu/../images/readonly.iso", AAVM_PERM_RK,
          "/var/lib/libvirt/images/readonly.iso", TRUE },
        { "//var/./lib/libvirt//images/disk.qcow2", AAVM_PERM_RWK,
          "/var/lib/libvirt/images/disk.qcow2", TRUE },
        { "/images-link/../qemu/nvram/new_VARS.fd", AAVM_PERM_RWK,
          "/var/lib/libvirt/qemu/nvram/new_VARS.fd", FALSE },
        /* Refused: read-only firmware asked for writing. */
        { "/usr/share/OVMF/OVMF_VARS.fd", AAVM_PERM_RWK, NULL, FALSE },
        { "/boot/vmlinuz-test", AAVM_PERM_RW, NULL, FALSE },
        /* Refused: symlinks into /etc. */
        { "/var/lib/libvirt/images/evil.img", AAVM_PERM_READ, NULL, FALSE },
        { "/var/lib/libvirt/images/etc-link/passwd", AAVM_PERM_READ, NULL, FALSE },
        { "/var/lib/libvirt/images/etc-link/shadow", AAVM_PERM_READ, NULL, FALSE },
        { "/var/lib/libvirt/images/etc-link", AAVM_PERM_READ, NULL, FALSE },
        { "/images-link/evil.img", AAVM_PERM_READ, NULL, FALSE },
        /* Refused: ".." out of an existing directory into a denied one. */
        { "/var/lib/libvirt/images/../../../../etc/shadow", AAVM_PERM_READ, NULL, FALSE },
        { "/var/lib/libvirt/images/../../../../etc/new", AAVM_PERM_READ, NULL, FALSE },
        /* Refused: ".." after a part that does not exist. */
        { "/var/lib/libvirt/images/missing/../disk.qcow2", AAVM_PERM_READ, NULL, FALSE },
        { "/var/lib/libvirt/images/missing/../../../../../etc/shadow", AAVM_PERM_READ, NULL,
          FALSE },
        { "/nonexistent/..", AAVM_PERM_READ, NULL, FALSE },
        /* Refused: characters no quoting carries. */
        { "/var/lib/libvirt/images/a\"b.img", AAVM_PERM_READ, NULL, FALSE },
        { "/var/lib/libvirt/images/a\nb.img", AAVM_PERM_READ, NULL, FALSE },
        { "/var/lib/libvirt/images/x.img\n/** rwk,", AAVM_PERM_READ, NULL, FALSE },
        { "/var/lib/libvirt/images/a\tb.img", AAVM_PERM_READ, NULL, FALSE },
        { "/var/lib/libvirt/images/\xff.img", AAVM_PERM_READ, NULL, FALSE },
        /* Refused: not absolute. */
        { "var/lib/libvirt/images/disk.qcow2", AAVM_PERM_READ, NULL, FALSE },
        { "disk.qcow2", AAVM_PERM_READ, NULL, FALSE },
        { "./disk.qcow2", AAVM_PERM_READ, NULL, FALSE },
        { "../etc/shadow", AAVM_PERM_READ, NULL, FALSE },
        { "", AAVM_PERM_READ, NULL, FALSE },
        /* Refused directly. */
        { "/etc/shadow", AAVM_PERM_READ, NULL, FALSE },
        { "/proc/self/mem", AAVM_PERM_READ, NULL, FALSE },
    };
    const AavmHost *host = *state;

    for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
        path_policy_resolve_one(host, &cases[i]);
}

static void
test_path_policy_resolve_relative_message(void **state)
{
    const AavmHost *host = *state;
    g_autoptr(GError) error = NULL;
    g_autofree char *out = NULL;
    gboolean exists = TRUE;

    assert_false(aavm_path_policy_resolve(host, "images/disk.qcow2", AAVM_MATCH_EXACT,
                                          AAVM_PERM_READ, "disk 'vda'", &out, &exists, &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_UNSAFE_PATH));
    assert_null(out);
    assert_true(g_str_has_prefix(error->message, "Refusing disk 'vda': "));
    assert_non_null(strstr(error->message, "'images/disk.qcow2'"));
    assert_non_null(strstr(error->message, "not absolute"));
}

static void
test_path_policy_resolve_evil_message(void **state)
{
    const AavmHost *host = *state;
    g_autoptr(GError) error = NULL;
    g_autofree char *out = NULL;

    assert_false(aavm_path_policy_resolve(host, "/var/lib/libvirt/images/evil.img",
                                          AAVM_MATCH_EXACT, AAVM_PERM_RK, "disk 'vdb'", &out, NULL,
                                          &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_UNSAFE_PATH));
    assert_null(out);
    /* Refused for what the link points at, and says so. */
    assert_true(g_str_has_prefix(error->message, "Refusing disk 'vdb': "));
    assert_non_null(strstr(error->message, "/etc/shadow"));
    assert_non_null(strstr(error->message, "'/etc'"));
}

static void
test_path_policy_resolve_out_exists_optional(void **state)
{
    const AavmHost *host = *state;
    g_autoptr(GError) error = NULL;
    g_autofree char *out = NULL;

    assert_true(aavm_path_policy_resolve(host, "/images-link/disk.qcow2", AAVM_MATCH_EXACT,
                                         AAVM_PERM_RWK, "disk 'vda'", &out, NULL, &error));
    assert_null(error);
    assert_string_equal(out, "/var/lib/libvirt/images/disk.qcow2");
}

/* ---- aavm_domain_name_check -------------------------------------------- */

typedef struct {
    const char *name;
    gboolean valid;
} NameCase;

static void
domain_name_check_one(const NameCase *c)
{
    g_autoptr(GError) error = NULL;
    gboolean ok = aavm_domain_name_check(c->name, &error);

    if (c->valid) {
        if (!ok)
            fail_msg("'%s' refused: %s", c->name, error ? error->message : "(no error)");
        assert_null(error);
    } else {
        if (ok)
            fail_msg("'%s' accepted", c->name ? c->name : "(null)");
        assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_BAD_NAME));
    }
}

static void
test_path_policy_domain_name_forbidden_chars(void **state)
{
    static const char forbidden[] = { '/', '[', ']', '{', '}', '?', '^', ',', '"', '*' };

    (void)state;
    assert_int_equal(strlen(AAVM_NAME_FORBIDDEN), sizeof forbidden);
    for (guint i = 0; i < sizeof forbidden; i++) {
        char alone[2] = { forbidden[i], '\0' };
        char middle[8];
        char end[8];

        g_snprintf(middle, sizeof middle, "vm%cx", forbidden[i]);
        g_snprintf(end, sizeof end, "vm%c", forbidden[i]);
        NameCase cases[] = { { alone, FALSE }, { middle, FALSE }, { end, FALSE } };
        for (guint j = 0; j < G_N_ELEMENTS(cases); j++)
            domain_name_check_one(&cases[j]);
    }
}

static void
test_path_policy_domain_name_control_chars(void **state)
{
    (void)state;
    for (int c = 0x01; c < 0x20; c++) {
        char name[8];

        g_snprintf(name, sizeof name, "vm%c1", c);
        NameCase one = { name, FALSE };
        domain_name_check_one(&one);
    }
    NameCase del = { "vm\x7f" "1", FALSE };
    domain_name_check_one(&del);
    NameCase newline = { "vm\n", FALSE };
    domain_name_check_one(&newline);
    NameCase tab = { "\tvm", FALSE };
    domain_name_check_one(&tab);
}

static void
test_path_policy_domain_name_table(void **state)
{
    static const NameCase cases[] = {
        { "", FALSE },
        { NULL, FALSE },
        { "vm\xff", FALSE },
        { "vm\xc3", FALSE },
        { "/etc/shadow", FALSE },
        { "a{b,c}", FALSE },
        { "vm1", TRUE },
        { "My VM", TRUE },
        { " leading and trailing ", TRUE },
        { "it's", TRUE },
        { "a:b", TRUE },
        { "$HOME", TRUE },
        { "user@host", TRUE },
        { "@{HOME}x", FALSE }, /* '{' */
        { "a-b_c.d+e=f%g(h)!~#&;<>|`", TRUE },
        { "back\\slash", TRUE },
        { "vm-é-日本", TRUE },
        { "x", TRUE },
    };

    (void)state;
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
        domain_name_check_one(&cases[i]);
}

int
main(void)
{
    aavm_test_init();

    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_path_policy_is_under_components),
        cmocka_unit_test(test_path_policy_check_table),
        cmocka_unit_test(test_path_policy_check_tree_table),
        cmocka_unit_test(test_path_policy_check_tree_every_deny_row),
        cmocka_unit_test(test_path_policy_kind_to_string),
        cmocka_unit_test(test_path_policy_rules_behave_as_kind),
        cmocka_unit_test(test_path_policy_rules_well_formed),
        cmocka_unit_test(test_path_policy_rules_expected_rows),
        cmocka_unit_test_setup_teardown(test_path_policy_resolve_table, setup_host,
                                        teardown_host),
        cmocka_unit_test_setup_teardown(test_path_policy_resolve_relative_message, setup_host,
                                        teardown_host),
        cmocka_unit_test_setup_teardown(test_path_policy_resolve_evil_message, setup_host,
                                        teardown_host),
        cmocka_unit_test_setup_teardown(test_path_policy_resolve_out_exists_optional,
                                        setup_host, teardown_host),
        cmocka_unit_test(test_path_policy_domain_name_forbidden_chars),
        cmocka_unit_test(test_path_policy_domain_name_control_chars),
        cmocka_unit_test(test_path_policy_domain_name_table),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
