/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-rules.c: domain -> access list on the fake root (helper/rules/rules.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <glib.h>

#include "aavm-error.h"
#include "access.h"
#include "domain-parse.h"
#include "render.h"
#include "rules.h"
#include "testutil.h"

#define UUID "0f6a4d2c-3b1e-4c5d-9e8f-123456789abc"

/* A domain XML of @type named @name with @os inside <os> and @devices. */
static char *
domain_xml(const char *type, const char *name, const char *os, const char *devices)
{
    return g_strdup_printf("<domain type='%s' id='7'>\n"
                           "  <name>%s</name>\n"
                           "  <uuid>" UUID "</uuid>\n"
                           "  <os><type>%s</type>%s</os>\n"
                           "  <devices>%s</devices>\n"
                           "</domain>\n",
                           type, name, g_strcmp0(type, "lxc") == 0 ? "exe" : "hvm",
                           os ? os : "", devices ? devices : "");
}

/* Parse and build; returns the list or NULL with @error set. */
static AavmAccessList *
build_full(AavmTestFixture *fx, const char *type, const char *name, const char *os,
           const char *devices, GError **error)
{
    g_autofree char *xml = domain_xml(type, name, os, devices);

    return aavm_test_build(fx->host, fx->config, xml, error);
}

static void
assert_entry(const AavmAccessList *list, const char *path, AavmMatch match, AavmPerm perms,
             const char *reason)
{
    const AavmAccess *access = aavm_access_list_lookup(list, path, match);

    if (!access)
        print_error("no %s entry for '%s'\n", aavm_match_to_string(match), path);
    assert_non_null(access);
    assert_string_equal(access->path, path);
    assert_int_equal(access->match, match);
    assert_string_equal(aavm_perm_to_string(access->perms), aavm_perm_to_string(perms));
    assert_int_equal(access->perms, perms);
    assert_string_equal(access->reason, reason);
}

static void
assert_refused(AavmTestFixture *fx, const char *type, const char *name, const char *os,
               const char *devices, AavmError code)
{
    g_autofree char *xml = domain_xml(type, name, os, devices);

    aavm_test_assert_refused_xml(fx, xml, code, NULL);
}

/* Disks */

static void
test_rules_file_disk(void **state)
{
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(*state, "xen", NULL, NULL,
        "<disk type='file' device='disk'>"
        "<driver name='qemu' type='qcow2'/>"
        "<source file='/var/lib/libvirt/images/disk.qcow2'/>"
        "<target dev='vda' bus='virtio'/></disk>");

    assert_int_equal(aavm_access_list_length(list), 1);
    assert_entry(list, "/var/lib/libvirt/images/disk.qcow2", AAVM_MATCH_EXACT, AAVM_PERM_RWK,
                 "disk vda");
}

static void
test_rules_readonly_disk(void **state)
{
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(*state, "xen", NULL, NULL,
        "<disk type='file' device='cdrom'>"
        "<source file='/var/lib/libvirt/images/readonly.iso'/>"
        "<target dev='hdc' bus='ide'/><readonly/></disk>");
    g_autofree char *body = NULL;

    assert_int_equal(aavm_access_list_length(list), 1);
    assert_entry(list, "/var/lib/libvirt/images/readonly.iso", AAVM_MATCH_EXACT, AAVM_PERM_RK,
                 "disk hdc");
    body = aavm_render_body(list);
    assert_string_equal(body, "  # disk hdc\n  \"/var/lib/libvirt/images/readonly.iso\" rk,\n");
    assert_null(strstr(body, "deny"));
}

static void
test_rules_block_disk(void **state)
{
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(*state, "xen", NULL, NULL,
        "<disk type='block' device='disk'>"
        "<source dev='/dev/sdb'/><target dev='vdb'/></disk>");

    assert_int_equal(aavm_access_list_length(list), 1);
    assert_entry(list, "/dev/sdb", AAVM_MATCH_EXACT, AAVM_PERM_RWK, "disk vdb");
}

static void
test_rules_dir_disk(void **state)
{
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(*state, "xen", NULL, NULL,
        "<disk type='dir' device='disk'>"
        "<source dir='/srv/share'/><target dev='vdc'/></disk>");
    g_autoptr(AavmAccessList) ro = aavm_test_build_ok(*state, "xen", NULL, NULL,
        "<disk type='dir' device='disk'>"
        "<source dir='/srv/share/'/><target dev='hdd'/><readonly/></disk>");

    assert_int_equal(aavm_access_list_length(list), 2);
    assert_entry(list, "/srv/share", AAVM_MATCH_DIR, AAVM_PERM_READ, "disk vdc");
    assert_entry(list, "/srv/share", AAVM_MATCH_TREE, AAVM_PERM_RWK, "disk vdc");
    assert_null(aavm_access_list_lookup(list, "/srv/share", AAVM_MATCH_EXACT));

    assert_int_equal(aavm_access_list_length(ro), 2);
    assert_entry(ro, "/srv/share", AAVM_MATCH_DIR, AAVM_PERM_READ, "disk hdd");
    assert_entry(ro, "/srv/share", AAVM_MATCH_TREE, AAVM_PERM_RK, "disk hdd");
}

static void
test_rules_empty_cdrom_skipped(void **state)
{
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(*state, "xen", NULL, NULL,
        "<disk type='file' device='cdrom'><target dev='hdc'/><readonly/></disk>"
        "<disk type='file' device='floppy'><target dev='fda'/></disk>");

    assert_int_equal(aavm_access_list_length(list), 0);
}

static void
test_rules_empty_source_cdrom_skipped(void **state)
{
    /* libvirt reads <source file=''/> as "no media" (a compatibility rule
     * for applications that write it for an empty drive). */
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(*state, "xen", NULL, NULL,
        "<disk type='file' device='cdrom'><source file=''/><target dev='hdc'/>"
        "<readonly/></disk>");

    assert_int_equal(aavm_access_list_length(list), 0);
}

static void
test_rules_network_disk_no_rule(void **state)
{
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(*state, "xen", NULL, NULL,
        "<disk type='network' device='disk'>"
        "<source protocol='nbd' name='/srv/export'><host name='example.org' port='10809'/></source>"
        "<target dev='vde'/></disk>"
        "<disk type='network' device='cdrom'>"
        "<source protocol='http' name='/srv/x.iso'><host name='example.org'/></source>"
        "<target dev='hdc'/><readonly/></disk>");

    assert_int_equal(aavm_access_list_length(list), 0);
}

/* Character devices */

static void
test_rules_chardev_paths_rw(void **state)
{
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(*state, "xen", NULL, NULL,
        "<serial type='file'><source path='/var/log/libvirt/qemu/vm1-serial.log'/>"
        "<target port='0'/></serial>"
        "<serial type='pty'><source path='/dev/pts/3'/><target port='1'/></serial>"
        "<console type='pty'><source path='/dev/pts/4'/><target type='serial'/></console>"
        "<parallel type='dev'><source path='/dev/parport0'/><target port='0'/></parallel>"
        "<channel type='unix'>"
        "<source mode='bind' path='/var/lib/libvirt/qemu/channel/target/vm1.agent'/>"
        "<target type='virtio' name='org.qemu.guest_agent.0'/></channel>");

    assert_int_equal(aavm_access_list_length(list), 5);
    assert_entry(list, "/var/log/libvirt/qemu/vm1-serial.log", AAVM_MATCH_EXACT, AAVM_PERM_RW,
                 "serial0");
    assert_entry(list, "/dev/pts/3", AAVM_MATCH_EXACT, AAVM_PERM_RW, "serial1");
    assert_entry(list, "/dev/pts/4", AAVM_MATCH_EXACT, AAVM_PERM_RW, "console0");
    assert_entry(list, "/dev/parport0", AAVM_MATCH_EXACT, AAVM_PERM_RW, "parallel0");
    assert_entry(list, "/var/lib/libvirt/qemu/channel/target/vm1.agent", AAVM_MATCH_EXACT,
                 AAVM_PERM_RW, "channel0 (org.qemu.guest_agent.0)");
}

static void
test_rules_chardev_pipe(void **state)
{
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(*state, "xen", NULL, NULL,
        "<serial type='pipe'><source path='/tmp/serialpipe'/><target port='0'/></serial>"
        "<console type='pipe'><source path='/tmp/consolepipe'/></console>");

    assert_int_equal(aavm_access_list_length(list), 4);
    assert_entry(list, "/tmp/serialpipe.in", AAVM_MATCH_EXACT, AAVM_PERM_RW, "serial0 (pipe .in)");
    assert_entry(list, "/tmp/serialpipe.out", AAVM_MATCH_EXACT, AAVM_PERM_RW,
                 "serial0 (pipe .out)");
    assert_entry(list, "/tmp/consolepipe.in", AAVM_MATCH_EXACT, AAVM_PERM_RW,
                 "console0 (pipe .in)");
    assert_entry(list, "/tmp/consolepipe.out", AAVM_MATCH_EXACT, AAVM_PERM_RW,
                 "console0 (pipe .out)");
    assert_null(aavm_access_list_lookup(list, "/tmp/serialpipe", AAVM_MATCH_EXACT));
    assert_null(aavm_access_list_lookup(list, "/tmp/consolepipe", AAVM_MATCH_EXACT));
}

static void
test_rules_chardev_network_no_rule(void **state)
{
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(*state, "xen", NULL, NULL,
        "<serial type='tcp'><source mode='bind' host='127.0.0.1' service='4555'/>"
        "<protocol type='raw'/><target port='0'/></serial>"
        "<serial type='udp'><source mode='bind' host='0.0.0.0' service='2445'/>"
        "<source mode='connect' host='0.0.0.0' service='2445'/><target port='1'/></serial>"
        "<channel type='spicevmc'><target type='virtio' name='com.redhat.spice.0'/></channel>"
        "<console type='pty'/>");

    assert_int_equal(aavm_access_list_length(list), 0);
}

/* Boot files and firmware */

static void
test_rules_kernel_initrd_dtb_read(void **state)
{
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(*state, "xen",
        "<kernel>/boot/vmlinuz-test</kernel><initrd>/boot/initrd-test</initrd>"
        "<dtb>/boot/board.dtb</dtb><cmdline>console=ttyS0</cmdline>", NULL, NULL);

    assert_int_equal(aavm_access_list_length(list), 3);
    assert_entry(list, "/boot/vmlinuz-test", AAVM_MATCH_EXACT, AAVM_PERM_READ, "kernel");
    assert_entry(list, "/boot/initrd-test", AAVM_MATCH_EXACT, AAVM_PERM_READ, "initrd");
    assert_entry(list, "/boot/board.dtb", AAVM_MATCH_EXACT, AAVM_PERM_READ, "dtb");
}

static void
test_rules_loader_perms(void **state)
{
    g_autoptr(AavmAccessList) ro = aavm_test_build_ok(*state, "xen",
        "<loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE.fd</loader>", NULL, NULL);
    g_autoptr(AavmAccessList) rom = aavm_test_build_ok(*state, "xen",
        "<loader type='rom'>/usr/share/OVMF/OVMF_CODE.fd</loader>", NULL, NULL);
    g_autoptr(AavmAccessList) unset = aavm_test_build_ok(*state, "xen",
        "<loader>/var/lib/libvirt/images/loader.fd</loader>", NULL, NULL);
    g_autoptr(AavmAccessList) rw = aavm_test_build_ok(
        *state, "xen",
        "<loader readonly='no' type='pflash'>/var/lib/libvirt/images/loader.fd</loader>", NULL,
        NULL);

    assert_int_equal(aavm_access_list_length(ro), 1);
    assert_entry(ro, "/usr/share/OVMF/OVMF_CODE.fd", AAVM_MATCH_EXACT, AAVM_PERM_RK, "loader");
    assert_int_equal(aavm_access_list_length(rom), 1);
    assert_entry(rom, "/usr/share/OVMF/OVMF_CODE.fd", AAVM_MATCH_EXACT, AAVM_PERM_RK, "loader");
    assert_int_equal(aavm_access_list_length(unset), 1);
    assert_entry(unset, "/var/lib/libvirt/images/loader.fd", AAVM_MATCH_EXACT, AAVM_PERM_RWK,
                 "loader");
    assert_int_equal(aavm_access_list_length(rw), 1);
    assert_entry(rw, "/var/lib/libvirt/images/loader.fd", AAVM_MATCH_EXACT, AAVM_PERM_RWK,
                 "loader");
}

static void
test_rules_writable_loader_in_firmware_dir_refused(void **state)
{
    assert_refused(*state, "xen", "vm1",
                   "<loader type='pflash'>/usr/share/OVMF/OVMF_CODE.fd</loader>", NULL,
                   AAVM_ERROR_UNSAFE_PATH);
}

static void
test_rules_nvram(void **state)
{
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(*state, "xen",
        "<loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE.fd</loader>"
        "<nvram template='/usr/share/OVMF/OVMF_VARS.fd'>"
        "/var/lib/libvirt/qemu/nvram/test_VARS.fd</nvram>", NULL, NULL);
    g_autoptr(AavmAccessList) typed = aavm_test_build_ok(
        *state, "xen",
        "<nvram type='file'><source file='/var/lib/libvirt/qemu/nvram/other_VARS.fd'/></nvram>",
        NULL, NULL);

    assert_int_equal(aavm_access_list_length(list), 2);
    assert_entry(list, "/var/lib/libvirt/qemu/nvram/test_VARS.fd", AAVM_MATCH_EXACT,
                 AAVM_PERM_RWK, "nvram");
    assert_entry(list, "/usr/share/OVMF/OVMF_CODE.fd", AAVM_MATCH_EXACT, AAVM_PERM_RK, "loader");
    assert_int_equal(aavm_access_list_length(typed), 1);
    assert_entry(typed, "/var/lib/libvirt/qemu/nvram/other_VARS.fd", AAVM_MATCH_EXACT,
                 AAVM_PERM_RWK, "nvram");
}

/* Base rules of the qemu driver */

static void
test_rules_qemu_base_rules(void **state)
{
    g_autoptr(GError) error = NULL;
    /* XML text "a b@x\y" (a backslash, no forbidden character). */
    g_autoptr(AavmAccessList) list = build_full(*state, "kvm", "a b@x\\y", NULL, NULL, &error);

    assert_null(error);
    assert_non_null(list);
    assert_int_equal(aavm_access_list_length(list), 5);
    assert_int_equal(aavm_test_count_match(list, AAVM_MATCH_PATTERN), 5);
    assert_entry(list, "/var/log/libvirt/**/a b\\@x\\\\y.log", AAVM_MATCH_PATTERN,
                 AAVM_PERM_WRITE, "log file");
    assert_entry(list, "/var/lib/libvirt/qemu/domain-a b\\@x\\\\y/monitor.sock",
                 AAVM_MATCH_PATTERN, AAVM_PERM_RW, "monitor socket");
    assert_entry(list, "/var/lib/libvirt/qemu/domain-7-a b\\@x\\\\y/*", AAVM_MATCH_PATTERN,
                 AAVM_PERM_RW, "per-domain state directory");
    assert_entry(list, "/run/libvirt/**/a b\\@x\\\\y.pid", AAVM_MATCH_PATTERN, AAVM_PERM_RWK,
                 "pid file");
    assert_entry(list, "/run/libvirt/**/*.tunnelmigrate.dest.a b\\@x\\\\y", AAVM_MATCH_PATTERN,
                 AAVM_PERM_RW, "tunnelled migration");
    for (guint i = 0; i < aavm_access_list_length(list); i++)
        assert_int_equal(aavm_access_list_get(list, i)->origins, AAVM_ORIGIN_BASE);
}

/* Device rules are marked as such, base rules as base, -f as extra; a
 * device added after a -f is a device's again. */
static void
test_rules_origins(void **state)
{
    AavmTestFixture *fx = *state;
    g_autoptr(GError) error = NULL;
    g_autoptr(AavmAccessList) list = build_full(fx, "kvm", "vm1", NULL,
        "<disk type='file' device='disk'>"
        "<source file='/var/lib/libvirt/images/disk.qcow2'/>"
        "<target dev='vda' bus='virtio'/></disk>", &error);

    assert_non_null(list);
    assert_true(aavm_rules_add_extra_file(list, fx->host, "/srv/new/file.img", "-f add-file",
                                          &error));
    aavm_access_list_add(list, "/srv/after", AAVM_MATCH_EXACT, AAVM_PERM_READ, "disk vdb");
    assert_int_equal(aavm_access_list_lookup(list, "/srv/after", AAVM_MATCH_EXACT)->origins,
                     AAVM_ORIGIN_DEVICE);
    assert_int_equal(aavm_access_list_lookup(list, "/var/lib/libvirt/images/disk.qcow2",
                                             AAVM_MATCH_EXACT)->origins, AAVM_ORIGIN_DEVICE);
    assert_int_equal(aavm_access_list_lookup(list, "/srv/new/file.img", AAVM_MATCH_EXACT)->origins,
                     AAVM_ORIGIN_EXTRA);
    assert_int_equal(aavm_access_list_lookup(list, "/run/libvirt/**/vm1.pid",
                                             AAVM_MATCH_PATTERN)->origins, AAVM_ORIGIN_BASE);
}

static void
test_rules_qemu_base_rules_short_name(void **state)
{
    g_autoptr(GError) error = NULL;
    /* 26 characters; the state directory uses the first 20. */
    g_autoptr(AavmAccessList) list = build_full(*state, "qemu", "abcdefghijklmnopqrstuvwxyz",
                                                NULL, NULL, &error);

    assert_null(error);
    assert_non_null(list);
    assert_int_equal(aavm_test_count_match(list, AAVM_MATCH_PATTERN), 5);
    assert_entry(list, "/var/lib/libvirt/qemu/domain-7-abcdefghijklmnopqrst/*",
                 AAVM_MATCH_PATTERN, AAVM_PERM_RW, "per-domain state directory");
    assert_entry(list, "/var/log/libvirt/**/abcdefghijklmnopqrstuvwxyz.log", AAVM_MATCH_PATTERN,
                 AAVM_PERM_WRITE, "log file");

    /* Characters, not bytes: 21 two-byte letters keep 20 whole ones. */
    g_autoptr(GError) utf8_error = NULL;
    g_autoptr(GString) name = g_string_new(NULL);
    g_autoptr(GString) short_name = g_string_new(NULL);
    for (guint i = 0; i < 21; i++) {
        g_string_append(name, "\xc3\xa4");
        if (i < 20)
            g_string_append(short_name, "\xc3\xa4");
    }
    g_autoptr(AavmAccessList) utf8 = build_full(*state, "qemu", name->str, NULL, NULL,
                                                &utf8_error);
    g_autofree char *pattern = g_strdup_printf("/var/lib/libvirt/qemu/domain-7-%s/*",
                                               short_name->str);
    assert_null(utf8_error);
    assert_non_null(utf8);
    assert_entry(utf8, pattern, AAVM_MATCH_PATTERN, AAVM_PERM_RW, "per-domain state directory");
}

/* xen: the devices' rules, without the qemu base rules. */
static void
test_rules_no_base_rules_for_xen(void **state)
{
    const char *disk = "<disk type='file'><source file='/var/lib/libvirt/images/disk.qcow2'/>"
                       "<target dev='vda'/></disk>";
    g_autoptr(GError) error = NULL;
    g_autoptr(AavmAccessList) list = build_full(*state, "xen", "vm1", NULL, disk, &error);

    assert_null(error);
    assert_non_null(list);
    assert_int_equal(aavm_test_count_match(list, AAVM_MATCH_PATTERN), 0);
    assert_int_equal(aavm_access_list_length(list), 1);
    assert_entry(list, "/var/lib/libvirt/images/disk.qcow2", AAVM_MATCH_EXACT, AAVM_PERM_RWK,
                 "disk vda");
}

/* lxc: the profile includes no .files, so its devices give no rules at all
 * (and a path that would be refused elsewhere is not an error). */
static void
test_rules_no_rules_for_lxc(void **state)
{
    const char *devices = "<disk type='file'><source file='/var/lib/libvirt/images/disk.qcow2'/>"
                          "<target dev='vda'/></disk>"
                          "<disk type='file'><source file='/etc/shadow'/><target dev='vdb'/></disk>";
    g_autoptr(GError) error = NULL;
    g_autoptr(AavmAccessList) list = build_full(*state, "lxc", "vm1", NULL, devices, &error);

    assert_null(error);
    assert_non_null(list);
    assert_int_equal(aavm_access_list_length(list), 0);
}

/* Paths through symlinks */

static void
test_rules_symlink_disk_canonicalised(void **state)
{
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(*state, "xen", NULL, NULL,
        "<disk type='file'><source file='/var/lib/libvirt/images/link-to-disk.img'/>"
        "<target dev='vda'/></disk>"
        "<disk type='file'><source file='/images-link/readonly.iso'/>"
        "<target dev='hdc'/><readonly/></disk>");

    assert_int_equal(aavm_access_list_length(list), 2);
    assert_entry(list, "/var/lib/libvirt/images/disk.qcow2", AAVM_MATCH_EXACT, AAVM_PERM_RWK,
                 "disk vda");
    assert_entry(list, "/var/lib/libvirt/images/readonly.iso", AAVM_MATCH_EXACT, AAVM_PERM_RK,
                 "disk hdc");
    assert_null(aavm_access_list_lookup(list, "/var/lib/libvirt/images/link-to-disk.img",
                                        AAVM_MATCH_EXACT));
}

static void
test_rules_symlink_into_etc_refused(void **state)
{
    assert_refused(*state, "kvm", "vm1", NULL,
                   "<disk type='file'><source file='/var/lib/libvirt/images/evil.img'/>"
                   "<target dev='vda'/></disk>",
                   AAVM_ERROR_UNSAFE_PATH);
    assert_refused(*state, "kvm", "vm1", NULL,
                   "<disk type='file'><source file='/var/lib/libvirt/images/etc-link/shadow'/>"
                   "<target dev='vda'/><readonly/></disk>",
                   AAVM_ERROR_UNSAFE_PATH);
    assert_refused(*state, "kvm", "vm1", NULL,
                   "<serial type='file'><source path='/var/lib/libvirt/images/etc-link/new'/>"
                   "</serial>",
                   AAVM_ERROR_UNSAFE_PATH);
}

static void
test_rules_bad_domain_name(void **state)
{
    assert_refused(*state, "kvm", "bad/name", NULL, NULL, AAVM_ERROR_BAD_NAME);
    assert_refused(*state, "kvm", "a b@{x}", NULL, NULL, AAVM_ERROR_BAD_NAME);
    assert_refused(*state, "kvm", "star*", NULL, NULL, AAVM_ERROR_BAD_NAME);
    assert_refused(*state, "xen", "comma,", NULL, NULL, AAVM_ERROR_BAD_NAME);
    assert_refused(*state, "lxc", "quote&quot;", NULL, NULL, AAVM_ERROR_BAD_NAME);
}

/* aavm_rules_add_extra_file */

static AavmAccessList *
extra_ok(AavmTestFixture *fx, const char *arg)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(AavmAccessList) list = aavm_access_list_new();

    if (!aavm_rules_add_extra_file(list, fx->host, arg, "-f add-file", &error))
        print_error("unexpected error for '%s': %s\n", arg, error->message);
    assert_null(error);
    aavm_access_list_sort(list);
    return g_steal_pointer(&list);
}

static void
test_rules_extra_file_plain(void **state)
{
    g_autoptr(AavmAccessList) list = extra_ok(*state, "/var/lib/libvirt/images/disk.qcow2");
    g_autoptr(AavmAccessList) missing = extra_ok(*state, "/srv/new/file.img");

    assert_int_equal(aavm_access_list_length(list), 1);
    assert_entry(list, "/var/lib/libvirt/images/disk.qcow2", AAVM_MATCH_EXACT, AAVM_PERM_RWK,
                 "-f add-file");
    assert_int_equal(aavm_access_list_length(missing), 1);
    assert_entry(missing, "/srv/new/file.img", AAVM_MATCH_EXACT, AAVM_PERM_RWK, "-f add-file");
}

static void
test_rules_extra_file_tree(void **state)
{
    static const char *const args[] = { "/srv/share/{,**}", "/srv/share/**",
                                        "/srv//share/./**" };

    for (guint i = 0; i < G_N_ELEMENTS(args); i++) {
        g_autoptr(AavmAccessList) list = extra_ok(*state, args[i]);

        assert_int_equal(aavm_access_list_length(list), 2);
        assert_entry(list, "/srv/share", AAVM_MATCH_DIR, AAVM_PERM_RWK, "-f add-file");
        assert_entry(list, "/srv/share", AAVM_MATCH_TREE, AAVM_PERM_RWK, "-f add-file");
    }

    /* The directory is canonicalised like any path. */
    g_autoptr(AavmAccessList) linked = extra_ok(*state, "/images-link/{,**}");
    assert_int_equal(aavm_access_list_length(linked), 2);
    assert_entry(linked, "/var/lib/libvirt/images", AAVM_MATCH_DIR, AAVM_PERM_RWK, "-f add-file");
    assert_entry(linked, "/var/lib/libvirt/images", AAVM_MATCH_TREE, AAVM_PERM_RWK,
                 "-f add-file");
}

static void
test_rules_extra_file_refused(void **state)
{
    AavmTestFixture *fx = *state;
    static const char *const args[] = {
        "/etc/x/{,**}", "/etc/**", "/etc/shadow", "/var/lib/libvirt/images/evil.img",
        "/var/lib/libvirt/images/etc-link/{,**}", "/var/lib/libvirt/images/etc-link/**",
        "relative/path", "/srv/a\"b", "/srv/a\nb",
    };

    for (guint i = 0; i < G_N_ELEMENTS(args); i++) {
        g_autoptr(GError) error = NULL;
        g_autoptr(AavmAccessList) list = aavm_access_list_new();

        assert_false(aavm_rules_add_extra_file(list, fx->host, args[i], "-f add-file", &error));
        assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_UNSAFE_PATH));
        assert_int_equal(aavm_access_list_length(list), 0);
    }
}

static void
test_rules_extra_file_star_is_literal(void **state)
{
    g_autoptr(AavmAccessList) star = extra_ok(*state, "/srv/a*b.img");
    g_autoptr(AavmAccessList) middle = extra_ok(*state, "/srv/**/x.img");
    g_autoptr(AavmAccessList) brace = extra_ok(*state, "/srv/{,**}/x");
    g_autofree char *body = NULL;

    assert_int_equal(aavm_access_list_length(star), 1);
    assert_entry(star, "/srv/a*b.img", AAVM_MATCH_EXACT, AAVM_PERM_RWK, "-f add-file");
    assert_int_equal(aavm_access_list_length(middle), 1);
    assert_entry(middle, "/srv/**/x.img", AAVM_MATCH_EXACT, AAVM_PERM_RWK, "-f add-file");
    assert_int_equal(aavm_access_list_length(brace), 1);
    assert_entry(brace, "/srv/{,**}/x", AAVM_MATCH_EXACT, AAVM_PERM_RWK, "-f add-file");

    body = aavm_render_body(star);
    assert_string_equal(body, "  # -f add-file\n  \"/srv/a\\*b.img\" rwk,\n");
}

int
main(void)
{
    aavm_test_init();

#define T(f) AAVM_TEST_FIXTURE_CASE(f)
    const struct CMUnitTest tests[] = {
        T(test_rules_file_disk),
        T(test_rules_readonly_disk),
        T(test_rules_block_disk),
        T(test_rules_dir_disk),
        T(test_rules_empty_cdrom_skipped),
        T(test_rules_empty_source_cdrom_skipped),
        T(test_rules_network_disk_no_rule),
        T(test_rules_chardev_paths_rw),
        T(test_rules_chardev_pipe),
        T(test_rules_chardev_network_no_rule),
        T(test_rules_kernel_initrd_dtb_read),
        T(test_rules_loader_perms),
        T(test_rules_writable_loader_in_firmware_dir_refused),
        T(test_rules_nvram),
        T(test_rules_qemu_base_rules),
        T(test_rules_origins),
        T(test_rules_qemu_base_rules_short_name),
        T(test_rules_no_base_rules_for_xen),
        T(test_rules_no_rules_for_lxc),
        T(test_rules_symlink_disk_canonicalised),
        T(test_rules_symlink_into_etc_refused),
        T(test_rules_bad_domain_name),
        T(test_rules_extra_file_plain),
        T(test_rules_extra_file_tree),
        T(test_rules_extra_file_refused),
        T(test_rules_extra_file_star_is_literal),
    };
#undef T

    return cmocka_run_group_tests(tests, NULL, NULL);
}
