/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-passthrough.c: <qemu:commandline>/<qemu:env> read by
 * domain-parse-qemu.c and granted by rules-passthrough.c. */
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
#include "testutil.h"

#define QEMU_NS "http://libvirt.org/schemas/domain/qemu/1.0"
#define PREFIXED(body) "<qemu:commandline xmlns:qemu='" QEMU_NS "'>" body "</qemu:commandline>"
#define DEFAULT_NS(body) "<commandline xmlns='" QEMU_NS "'>" body "</commandline>"

static AavmDomain *
parse_level(const char *level)
{
    return aavm_test_parse("kvm", NULL, level, NULL);
}

static const AavmPassthrough *
item(const AavmDomain *domain, guint i)
{
    return aavm_test_item(domain->passthrough, i);
}

/* Both namespace spellings, and a prefix of any name, give the same items. */
static void
test_parse_namespaces(void **state)
{
    (void)state;
    const char *const levels[] = {
        PREFIXED("<qemu:arg value='-kernel'/><qemu:arg value='/srv/k'/>"
                 "<qemu:env name='XAUTHORITY' value='/srv/xa'/>"),
        DEFAULT_NS("<arg value='-kernel'/><arg value='/srv/k'/>"
                   "<env name='XAUTHORITY' value='/srv/xa'/>"),
        "<q:commandline xmlns:q='" QEMU_NS "'><q:arg value='-kernel'/><q:arg value='/srv/k'/>"
        "<q:env name='XAUTHORITY' value='/srv/xa'/></q:commandline>",
    };

    for (guint i = 0; i < G_N_ELEMENTS(levels); i++) {
        g_autoptr(AavmDomain) domain = parse_level(levels[i]);
        assert_int_equal(domain->passthrough->len, 2);
        const AavmPassthrough *kernel = item(domain, 0);
        const AavmPassthrough *env = item(domain, 1);
        assert_int_equal(kernel->kind, AAVM_PASSTHROUGH_PATH);
        assert_false(kernel->from_env);
        assert_string_equal(kernel->option, "-kernel");
        assert_null(kernel->key);
        assert_string_equal(kernel->value, "/srv/k");
        assert_int_equal(kernel->index, 1);
        assert_int_equal(kernel->perms, AAVM_PERM_READ);
        assert_true(env->from_env);
        assert_string_equal(env->option, "XAUTHORITY");
        assert_int_equal(env->index, 0);
    }
}

/* Elements of other namespaces, or none, are not QEMU's. */
static void
test_parse_other_namespaces(void **state)
{
    (void)state;
    g_autoptr(AavmDomain) domain = parse_level(
        "<commandline><arg value='-kernel'/><arg value='/srv/a'/></commandline>"
        "<x:commandline xmlns:x='http://libvirt.org/schemas/domain/qemu/2.0'>"
        "<x:arg value='-kernel'/><x:arg value='/srv/b'/></x:commandline>"
        "<qemu:commandline xmlns:qemu='" QEMU_NS "'><arg value='-kernel'/>"
        "<other:arg xmlns:other='urn:x' value='/srv/c'/></qemu:commandline>");

    assert_int_equal(domain->passthrough->len, 0);
}

/* Several <qemu:commandline> elements: one argument list, indices across them. */
static void
test_parse_several(void **state)
{
    (void)state;
    g_autoptr(AavmDomain) domain = parse_level(
        PREFIXED("<qemu:arg value='-S'/><qemu:arg value='-drive'/>")
        PREFIXED("<qemu:arg value='file=/srv/d.img'/><qemu:env name='A' value='b'/>"));

    assert_int_equal(domain->passthrough->len, 1);
    assert_string_equal(item(domain, 0)->option, "-drive");
    assert_string_equal(item(domain, 0)->key, "file");
    assert_int_equal(item(domain, 0)->index, 2);
    assert_int_equal(item(domain, 0)->perms, AAVM_PERM_RWK);
}

static void
test_parse_refused(void **state)
{
    (void)state;
    const char *const levels[] = {
        PREFIXED("<qemu:arg/>"),
        PREFIXED("<qemu:env value='x'/>"),
        DEFAULT_NS("<env name='' value='x'/>"),
    };

    for (guint i = 0; i < G_N_ELEMENTS(levels); i++) {
        g_autofree char *xml = aavm_test_domain_xml("kvm", NULL, levels[i], NULL);
        g_autoptr(GError) error = NULL;
        g_autoptr(AavmDomain) domain = aavm_domain_parse_string(xml, strlen(xml), &error);
        assert_null(domain);
        assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_INVALID_XML));
    }
}

/* <qemu:override> properties with paths are reported. */
static void
test_parse_override(void **state)
{
    (void)state;
    g_autoptr(AavmDomain) domain = parse_level(
        "<qemu:override xmlns:qemu='" QEMU_NS "'><qemu:device alias='ua-x'><qemu:frontend>"
        "<qemu:property name='romfile' type='string' value='/srv/r.rom'/>"
        "<qemu:property name='x' type='bool' value='true'/>"
        "</qemu:frontend></qemu:device></qemu:override>");

    assert_int_equal(domain->passthrough->len, 1);
    assert_int_equal(item(domain, 0)->kind, AAVM_PASSTHROUGH_UNPARSED);
    assert_string_equal(item(domain, 0)->key, "romfile");
    assert_non_null(item(domain, 0)->note);
}

/* Rules carry the passthrough origin and a stable reason. */
static void
test_rules_origin_reason(void **state)
{
    AavmTestFixture *fx = *state;
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(fx, "kvm", NULL,
        PREFIXED("<qemu:arg value='-drive'/><qemu:arg value='file=/srv/d.img,if=none'/>"
                 "<qemu:arg value='-chardev'/><qemu:arg value='pipe,id=p,path=/srv/p'/>"
                 "<qemu:env name='SSLKEYLOGFILE' value='/srv/keys.log'/>"),
        "<disk type='file' device='disk'><source file='/srv/d.img'/>"
        "<target dev='vda' bus='virtio'/></disk>");
    const AavmAccess *disk = aavm_access_list_lookup(list, "/srv/d.img", AAVM_MATCH_EXACT);

    assert_non_null(disk);
    assert_int_equal(disk->origins, AAVM_ORIGIN_DEVICE | AAVM_ORIGIN_PASSTHROUGH);
    assert_non_null(strstr(disk->reason, "passthrough -drive file= (qemu:arg 1)"));
    aavm_test_assert_entry(list, "/srv/p.in", AAVM_MATCH_EXACT, "rw",
                           "passthrough -chardev path= (qemu:arg 3)");
    aavm_test_assert_entry(list, "/srv/p.out", AAVM_MATCH_EXACT, "rw",
                           "passthrough -chardev path= (qemu:arg 3)");
    aavm_test_assert_entry(list, "/srv/keys.log", AAVM_MATCH_EXACT, "w",
                           "passthrough env SSLKEYLOGFILE (qemu:env 0)");
    assert_int_equal(aavm_access_list_lookup(list, "/srv/p.in", AAVM_MATCH_EXACT)->origins,
                     AAVM_ORIGIN_PASSTHROUGH);
    assert_int_equal(list->warnings->len, 0);
}

/* A passthrough path under a restricted directory is refused like a device's. */
static void
test_rules_etc_refused(void **state)
{
    AavmTestFixture *fx = *state;
    const char *const levels[] = {
        PREFIXED("<qemu:arg value='-drive'/><qemu:arg value='file=/etc/shadow'/>"),
        PREFIXED("<qemu:arg value='-blockdev'/><qemu:arg value='{\"driver\":\"file\","
                 "\"filename\":\"/var/lib/libvirt/images/evil.img\"}'/>"),
        DEFAULT_NS("<arg value='-virtfs'/><arg value='local,path=/etc,mount_tag=t'/>"),
        DEFAULT_NS("<arg value='-kernel'/><arg value='/srv/../etc/passwd'/>"),
        PREFIXED("<qemu:env name='XAUTHORITY' value='/etc/shadow'/>"),
        PREFIXED("<qemu:arg value='-drive'/><qemu:arg value='file=/srv/ok.img'/>"
                 "<qemu:arg value='-fw_cfg'/><qemu:arg value='name=opt/x,file=/etc/shadow'/>"),
        PREFIXED("<qemu:arg value='-bios'/><qemu:arg value='/usr/bin/qemu-system-x86_64'/>"),
        PREFIXED("<qemu:arg value='-pflash'/><qemu:arg value='/boot/vmlinuz-test'/>"),
    };

    for (guint i = 0; i < G_N_ELEMENTS(levels); i++)
        aavm_test_assert_refused(fx, "kvm", NULL, levels[i], NULL, AAVM_ERROR_UNSAFE_PATH,
                                 "passthrough ");
}

/* Pattern characters in a passthrough path are literal. */
static void
test_rules_literal(void **state)
{
    AavmTestFixture *fx = *state;
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(fx, "kvm", NULL,
        PREFIXED("<qemu:arg value='-drive'/><qemu:arg value='file=/srv/a*[b]?.img'/>"
                 "<qemu:arg value='-kernel'/><qemu:arg value='/srv/@{HOME}/k,,x'/>"),
        NULL);
    g_autofree char *text = aavm_render_files(list, "vm1");

    aavm_test_assert_entry(list, "/srv/a*[b]?.img", AAVM_MATCH_EXACT, "rwk",
                           "passthrough -drive file= (qemu:arg 1)");
    aavm_test_assert_entry(list, "/srv/@{HOME}/k,,x", AAVM_MATCH_EXACT, "r",
                           "passthrough -kernel (qemu:arg 3)");
    assert_non_null(strstr(text, "\"/srv/a\\*\\[b\\]\\?.img\" rwk,"));
    assert_non_null(strstr(text, "\"/srv/\\@\\{HOME\\}/k\\,\\,x\" r,"));
    assert_null(strstr(text, "@{HOME}"));
}

/* Trees, a memory directory, VFIO through sysfs. */
static void
test_rules_kinds(void **state)
{
    AavmTestFixture *fx = *state;
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(fx, "kvm", NULL,
        DEFAULT_NS("<arg value='-virtfs'/><arg value='local,path=/srv/share,mount_tag=t'/>"
                   "<arg value='-object'/><arg value='memory-backend-file,id=m,mem-path=/srv/share/sub'/>"
                   "<arg value='-mem-path'/><arg value='/srv/mem.file'/>"
                   "<arg value='-device'/><arg value='vfio-pci,host=00:1f.0'/>"
                   "<arg value='-device'/><arg value='vfio-pci,sysfsdev=/sys/bus/mdev/devices/53764d0e-85a0-42b4-af5c-2046b460b1dc'/>"
                   "<arg value='-device'/><arg value='vfio-pci,host=0000:07:00.0'/>"),
        NULL);

    aavm_test_assert_entry(list, "/srv/share", AAVM_MATCH_DIR, "r",
                           "passthrough -virtfs path= (qemu:arg 1)");
    aavm_test_assert_entry(list, "/srv/share", AAVM_MATCH_TREE, "rw",
                           "passthrough -virtfs path= (qemu:arg 1)");
    aavm_test_assert_entry(list, "/srv/share/sub", AAVM_MATCH_TREE, "rw",
                           "passthrough -object mem-path= (qemu:arg 3)");
    aavm_test_assert_entry(list, "/srv/mem.file", AAVM_MATCH_EXACT, "rw",
                           "passthrough -mem-path (qemu:arg 5)");
    /* Granted as the <hostdev> it stands for, named after the argument. */
    aavm_test_assert_entry(list, "/dev/vfio/12", AAVM_MATCH_EXACT, "rw",
                           "passthrough -device host= (qemu:arg 7, pci 0000:00:1f.0) VFIO group");
    assert_true(aavm_test_has_rule(list, "/dev/vfio/14", AAVM_MATCH_EXACT, "rw"));
    assert_true(aavm_test_has_rule(list, "/dev/vfio/vfio", AAVM_MATCH_EXACT, "rw"));
    assert_true(aavm_test_has_rule(list, "/sys/devices/pci0000:00/0000:00:1f.0/config",
                                   AAVM_MATCH_EXACT, "rw"));
    /* a device the host does not have: warned, nothing of it granted */
    assert_true(aavm_test_has_warning_all(list->warnings, "0000:07:00.0", "not on this host", NULL));
    assert_false(aavm_test_has_path_part(list, "0000:07:00.0"));
}

/* Network endpoints and unreadable arguments are warnings with their notes. */
static void
test_rules_warnings(void **state)
{
    AavmTestFixture *fx = *state;
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(fx, "kvm", NULL,
        PREFIXED("<qemu:arg value='-drive'/>"
                 "<qemu:arg value='file=rbd:p/i:conf=/etc/ceph/ceph.conf:keyring=/etc/ceph/k'/>"
                 "<qemu:arg value='-netdev'/><qemu:arg value='tap,id=t,script=/srv/up'/>"
                 "<qemu:arg value='-frob'/><qemu:arg value='/srv/f'/>"
                 "<qemu:env name='TMPDIR' value='/srv/tmp'/>"),
        NULL);

    aavm_test_assert_entry(list, "/etc/ceph/ceph.conf", AAVM_MATCH_EXACT, "r",
                           "passthrough -drive conf= (qemu:arg 1)");
    aavm_test_assert_entry(list, "/etc/ceph/k", AAVM_MATCH_EXACT, "r",
                           "passthrough -drive keyring= (qemu:arg 1)");
    assert_true(aavm_test_has_warning_all(list->warnings, "-drive file= (qemu:arg 1)",
                                          "network endpoint 'rbd:p/i'", NULL));
    assert_true(aavm_test_has_warning_all(list->warnings, "-netdev script= (qemu:arg 3)",
                                          "'/srv/up'", "runs this host program", NULL));
    assert_true(aavm_test_has_warning_all(list->warnings, "-frob (qemu:arg 5)",
                                          "does not know this QEMU option", NULL));
    assert_true(aavm_test_has_warning_all(list->warnings, "env TMPDIR (qemu:env 0)", NULL));
    assert_int_equal(list->warnings->len, 4);
    assert_false(aavm_test_has_path_part(list, "/srv/up"));
    assert_false(aavm_test_has_path_part(list, "/srv/f"));
    assert_false(aavm_test_has_path_part(list, "/srv/tmp"));
}

/* passthrough-paths=false: no path is granted, one warning counts them. */
static void
test_rules_disabled(void **state)
{
    AavmTestFixture *fx = *state;
    fx->config->grant_passthrough = FALSE;
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(fx, "kvm", NULL,
        PREFIXED("<qemu:arg value='-drive'/><qemu:arg value='file=/srv/d.img'/>"
                 "<qemu:arg value='-chardev'/><qemu:arg value='pipe,id=p,path=/srv/p'/>"
                 "<qemu:arg value='-fw_cfg'/><qemu:arg value='name=opt/x,file=/etc/shadow'/>"
                 "<qemu:arg value='-netdev'/><qemu:arg value='tap,id=t,script=/srv/up'/>"),
        "<disk type='file' device='disk'><source file='/srv/disk.img'/>"
        "<target dev='vda' bus='virtio'/></disk>");

    for (guint i = 0; i < aavm_access_list_length(list); i++)
        assert_false(aavm_access_list_get(list, i)->origins & AAVM_ORIGIN_PASSTHROUGH);
    assert_non_null(aavm_access_list_lookup(list, "/srv/disk.img", AAVM_MATCH_EXACT));
    assert_false(aavm_test_has_path_part(list, "/srv/d.img"));
    assert_false(aavm_test_has_path_part(list, "/srv/p."));
    assert_true(aavm_test_has_warning_all(list->warnings, "passthrough-paths is false",
                                          "aavm.conf", ": 4 host paths named in", NULL));
    assert_true(aavm_test_has_warning(list->warnings, "-netdev script= (qemu:arg 7)"));
    assert_int_equal(list->warnings->len, 2);
}

/* Without passthrough arguments nothing changes and nothing is warned. */
static void
test_rules_none(void **state)
{
    AavmTestFixture *fx = *state;
    fx->config->grant_passthrough = FALSE;
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(fx, "kvm", NULL,
        PREFIXED("<qemu:arg value='-S'/><qemu:arg value='-smp'/><qemu:arg value='2'/>"), NULL);

    assert_int_equal(list->warnings->len, 0);
    assert_int_equal(aavm_test_count_paths(list), 0);
}

int
main(void)
{
    aavm_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_namespaces),
        cmocka_unit_test(test_parse_other_namespaces),
        cmocka_unit_test(test_parse_several),
        cmocka_unit_test(test_parse_refused),
        cmocka_unit_test(test_parse_override),
        AAVM_TEST_FIXTURE_CASE(test_rules_origin_reason),
        AAVM_TEST_FIXTURE_CASE(test_rules_etc_refused),
        AAVM_TEST_FIXTURE_CASE(test_rules_literal),
        AAVM_TEST_FIXTURE_CASE(test_rules_kinds),
        AAVM_TEST_FIXTURE_CASE(test_rules_warnings),
        AAVM_TEST_FIXTURE_CASE(test_rules_disabled),
        AAVM_TEST_FIXTURE_CASE(test_rules_none),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
