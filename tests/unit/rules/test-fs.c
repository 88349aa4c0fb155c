/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-fs.c: the fs family: domain-parse-fs.c and rules-fs.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <glib.h>

#include "aavm-error.h"
#include "domain-parse.h"
#include "testutil.h"

static const AavmFilesystem *
fs_at(const AavmDomain *domain, guint i)
{
    return aavm_test_item(domain->filesystems, i);
}

/* A domain without filesystems has none in its model. */
static void
test_fs_none(void **state)
{
    (void)state;
    g_autoptr(AavmDomain) domain = aavm_test_parse("kvm", NULL, NULL, NULL);

    assert_int_equal(domain->filesystems->len, 0);
}

/* Type, driver, source by type, socket, target, read-only, index. */
static void
test_fs_parse(void **state)
{
    (void)state;
    g_autoptr(AavmDomain) domain = aavm_test_parse("kvm", NULL, NULL,
        "<filesystem accessmode='mapped'><source dir='/srv/share'/><target dir='tag'/>"
        "  <readonly/></filesystem>"
        "<filesystem type='mount'><driver type='virtiofs'/><source socket='/run/vfs.sock'/>"
        "  <target dir='fs1'/></filesystem>"
        "<filesystem type='file'><driver type='loop' format='raw'/>"
        "  <source file='/srv/fs.img' dir='/etc'/><target dir='/'/></filesystem>"
        "<filesystem type='block'><source dev='/dev/sdb'/><target dir='/b'/></filesystem>"
        "<filesystem type='ram'><source usage='1024'/><target dir='/r'/></filesystem>"
        "<filesystem type='mount'><source dir=''/><target dir='e'/></filesystem>");

    assert_int_equal(domain->filesystems->len, 6);
    assert_string_equal(fs_at(domain, 0)->type, "mount");
    assert_null(fs_at(domain, 0)->driver);
    assert_string_equal(fs_at(domain, 0)->source, "/srv/share");
    assert_string_equal(fs_at(domain, 0)->target, "tag");
    assert_true(fs_at(domain, 0)->readonly);
    assert_int_equal(fs_at(domain, 0)->index, 0);
    assert_string_equal(fs_at(domain, 1)->driver, "virtiofs");
    assert_string_equal(fs_at(domain, 1)->socket, "/run/vfs.sock");
    assert_null(fs_at(domain, 1)->source);
    assert_false(fs_at(domain, 1)->readonly);
    assert_int_equal(fs_at(domain, 1)->index, 1);
    assert_string_equal(fs_at(domain, 2)->source, "/srv/fs.img");
    assert_string_equal(fs_at(domain, 3)->source, "/dev/sdb");
    assert_null(fs_at(domain, 4)->source);
    assert_null(fs_at(domain, 5)->source);
    assert_int_equal(domain->warnings->len, 0);
}

/* A volume is warned about (not for LXC, whose profile has no .files). */
static void
test_fs_parse_volume_warns(void **state)
{
    (void)state;
    const char *devices = "<filesystem type='volume'><source pool='p' volume='v'/>"
                          "<target dir='tag'/></filesystem>";
    g_autoptr(AavmDomain) kvm = aavm_test_parse("kvm", NULL, NULL, devices);
    /* lxc gets no rules, so no warnings about them either. */
    g_autoptr(AavmAccessList) lxc = aavm_test_build_ok(NULL, "lxc", NULL, NULL, devices);

    assert_int_equal(kvm->warnings->len, 1);
    assert_string_equal(g_ptr_array_index(kvm->warnings, 0),
                        "filesystem0 (tag) is a storage pool volume (p/v) whose host path is "
                        "not in the XML; nothing is granted for it.");
    assert_int_equal(lxc->warnings->len, 0);
}

/* 9p (no driver, path, handle): the directory r, its tree rwl or r. */
static void
test_fs_rules_9p(void **state)
{
    (void)state;
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(NULL, "kvm", NULL, NULL,
        "<filesystem><source dir='/srv/share'/><target dir='a'/></filesystem>"
        "<filesystem><driver type='path'/><source dir='/srv/rw'/><target dir='b'/></filesystem>"
        "<filesystem><driver type='handle'/><source dir='/srv/ro/'/><target dir='c'/>"
        "  <readonly/></filesystem>");

    assert_true(aavm_test_has_rule(list, "/srv/share", AAVM_MATCH_DIR, "r"));
    assert_true(aavm_test_has_rule(list, "/srv/share", AAVM_MATCH_TREE, "rwl"));
    assert_true(aavm_test_has_rule(list, "/srv/rw", AAVM_MATCH_DIR, "r"));
    assert_true(aavm_test_has_rule(list, "/srv/rw", AAVM_MATCH_TREE, "rwl"));
    assert_true(aavm_test_has_rule(list, "/srv/ro", AAVM_MATCH_DIR, "r"));
    assert_true(aavm_test_has_rule(list, "/srv/ro", AAVM_MATCH_TREE, "r"));
    assert_int_equal(aavm_test_count_paths(list), 6);
}

/* virtiofs: only an external virtiofsd's socket; never the shared dir. */
static void
test_fs_rules_virtiofs(void **state)
{
    (void)state;
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(NULL, "kvm", NULL, NULL,
        "<filesystem type='mount'><driver type='virtiofs'/><source socket='/run/vfs.sock'/>"
        "  <target dir='a'/></filesystem>"
        "<filesystem type='mount'><driver type='virtiofs'/><source dir='/srv/share'/>"
        "  <target dir='b'/></filesystem>");

    assert_true(aavm_test_has_rule(list, "/run/vfs.sock", AAVM_MATCH_EXACT, "rw"));
    assert_int_equal(aavm_test_count_paths(list), 1);
}

/* file and block: rw, r when read-only; other types and drivers: nothing. */
static void
test_fs_rules_file_block_other(void **state)
{
    (void)state;
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(NULL, "kvm", NULL, NULL,
        "<filesystem type='file'><driver type='loop'/><source file='/srv/fs.img'/>"
        "  <target dir='/a'/></filesystem>"
        "<filesystem type='block'><source dev='/dev/sdb'/><target dir='/b'/><readonly/>"
        "</filesystem>"
        "<filesystem type='ram'><source usage='1024'/><target dir='/c'/></filesystem>"
        "<filesystem type='bind'><source dir='/srv/bind'/><target dir='/d'/></filesystem>"
        "<filesystem type='template'><source name='t'/><target dir='/e'/></filesystem>"
        "<filesystem type='mount'><driver type='loop'/><source dir='/srv/x'/>"
        "  <target dir='f'/></filesystem>");

    assert_true(aavm_test_has_rule(list, "/srv/fs.img", AAVM_MATCH_EXACT, "rw"));
    assert_true(aavm_test_has_rule(list, "/dev/sdb", AAVM_MATCH_EXACT, "r"));
    assert_int_equal(aavm_test_count_paths(list), 2);
    assert_int_equal(list->warnings->len, 0);
}

/* LXC: nothing is granted (no .files), so nothing is refused either. */
static void
test_fs_rules_lxc(void **state)
{
    (void)state;
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(NULL, "lxc", NULL, NULL,
        "<filesystem type='mount'><source dir='/'/><target dir='/'/></filesystem>"
        "<filesystem type='file'><source file='/etc/shadow'/><target dir='/x'/></filesystem>");

    assert_int_equal(list->entries->len, 0);
}

/* Every filesystem path goes through the path policy. */
static void
test_fs_rules_refused(void **state)
{
    (void)state;
    aavm_test_assert_refused(NULL, "kvm", NULL, NULL,
                             "<filesystem><source dir='/'/><target dir='a'/></filesystem>",
                             AAVM_ERROR_UNSAFE_PATH, "/");
    aavm_test_assert_refused(NULL, "kvm", NULL, NULL,
                             "<filesystem><source dir='/etc'/><target dir='a'/><readonly/>"
                             "</filesystem>",
                             AAVM_ERROR_UNSAFE_PATH, "/etc");
    aavm_test_assert_refused(NULL, "kvm", NULL, NULL,
                             "<filesystem><source dir='/var/lib/libvirt/images/etc-link'/>"
                             "<target dir='a'/></filesystem>",
                             AAVM_ERROR_UNSAFE_PATH, "/etc");
    /* A writable tree may not cover a read-only prefix. */
    aavm_test_assert_refused(NULL, "kvm", NULL, NULL,
                             "<filesystem><source dir='/usr/share'/><target dir='a'/></filesystem>",
                             AAVM_ERROR_UNSAFE_PATH, "/usr");
    aavm_test_assert_refused(NULL, "kvm", NULL, NULL,
                             "<filesystem><driver type='virtiofs'/><source socket='/proc/1/x'/>"
                             "<target dir='a'/></filesystem>",
                             AAVM_ERROR_UNSAFE_PATH, "/proc");
    aavm_test_assert_refused(NULL, "kvm", NULL, NULL,
                             "<filesystem type='file'><source file='/boot/vmlinuz-test'/>"
                             "<target dir='/'/></filesystem>",
                             AAVM_ERROR_UNSAFE_PATH, "/boot");
    aavm_test_assert_refused(NULL, "kvm", NULL, NULL,
                             "<filesystem type='block'><source dev='rel/dev'/>"
                             "<target dir='/'/></filesystem>",
                             AAVM_ERROR_UNSAFE_PATH, "rel/dev");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fs_none),
        cmocka_unit_test(test_fs_parse),
        cmocka_unit_test(test_fs_parse_volume_warns),
        cmocka_unit_test(test_fs_rules_9p),
        cmocka_unit_test(test_fs_rules_virtiofs),
        cmocka_unit_test(test_fs_rules_file_block_other),
        cmocka_unit_test(test_fs_rules_lxc),
        cmocka_unit_test(test_fs_rules_refused),
    };

    aavm_test_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
