/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-boot.c: the boot family: domain-parse-boot.c and rules-boot.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <glib.h>

#include "aavm-error.h"
#include "domain-parse.h"
#include "render.h"
#include "testutil.h"

/* A domain without devices of this family has none in its model. */
static void
test_boot_none(void **state)
{
    (void)state;
    g_autoptr(AavmDomain) domain = aavm_test_parse("kvm", NULL, NULL, NULL);

    assert_int_equal(domain->acpi_tables->len, 0);
    assert_int_equal(domain->fwcfg->len, 0);
    assert_null(domain->shim);
    assert_null(domain->varstore);
    assert_null(domain->pstore);
    assert_false(domain->nvram_given);
}

static void
test_boot_parse_all(void **state)
{
    (void)state;
    g_autoptr(AavmDomain) domain = aavm_test_parse("kvm",
        "<loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE.fd</loader>"
        "<nvram template='/usr/share/OVMF/OVMF_VARS.fd'>/var/lib/libvirt/qemu/nvram/x.fd</nvram>"
        "<shim>/boot/shim.efi</shim>"
        "<varstore path='/var/lib/libvirt/qemu/varstore/vm1.json'/>"
        "<acpi><table type='slic'>/var/lib/libvirt/acpi/slic.dat</table>"
        "<table type='msdm'>/var/lib/libvirt/acpi/msdm.dat</table></acpi>",
        "<sysinfo type='fwcfg'><entry name='opt/com.example/a' file='/srv/a.ign'/>"
        "<entry name='opt/com.example/b'>inline</entry></sysinfo>"
        "<sysinfo type='smbios'><bios><entry name='vendor'>x</entry></bios></sysinfo>",
        "<pstore backend='acpi-erst'><path>/var/lib/libvirt/qemu/pstore.raw</path>"
        "<size unit='KiB'>8</size></pstore>");
    const AavmAcpiTable *table = NULL;
    const AavmFwcfgEntry *entry = NULL;

    assert_string_equal(domain->nvram, "/var/lib/libvirt/qemu/nvram/x.fd");
    assert_string_equal(domain->nvram_template, "/usr/share/OVMF/OVMF_VARS.fd");
    assert_true(domain->nvram_given);
    assert_string_equal(domain->shim, "/boot/shim.efi");
    assert_string_equal(domain->varstore, "/var/lib/libvirt/qemu/varstore/vm1.json");
    assert_string_equal(domain->pstore, "/var/lib/libvirt/qemu/pstore.raw");
    assert_int_equal(domain->acpi_tables->len, 2);
    table = g_ptr_array_index(domain->acpi_tables, 1);
    assert_string_equal(table->type, "msdm");
    assert_string_equal(table->path, "/var/lib/libvirt/acpi/msdm.dat");
    assert_int_equal(domain->fwcfg->len, 2);
    entry = g_ptr_array_index(domain->fwcfg, 0);
    assert_string_equal(entry->name, "opt/com.example/a");
    assert_string_equal(entry->file, "/srv/a.ign");
    entry = g_ptr_array_index(domain->fwcfg, 1);
    assert_null(entry->file);
    assert_int_equal(domain->warnings->len, 0);
}

static void
test_boot_rules_all(void **state)
{
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(*state, "xen",
        "<shim>/boot/shim.efi</shim>"
        "<varstore path='/var/lib/libvirt/qemu/varstore/vm1.json'/>"
        "<acpi><table type='slic'>/var/lib/libvirt/acpi/slic.dat</table></acpi>",
        "<sysinfo type='fwcfg'><entry name='opt/com.example/a' file='/srv/a.ign'/>"
        "<entry name='opt/com.example/b'>inline</entry></sysinfo>",
        "<pstore backend='acpi-erst'><path>/var/lib/libvirt/qemu/pstore.raw</path></pstore>");

    assert_int_equal(aavm_access_list_length(list), 5);
    assert_true(aavm_test_has_rule(list, "/boot/shim.efi", AAVM_MATCH_EXACT, "r"));
    assert_true(aavm_test_has_rule(list, "/var/lib/libvirt/qemu/varstore/vm1.json",
                                   AAVM_MATCH_EXACT, "rwk"));
    assert_true(aavm_test_has_rule(list, "/var/lib/libvirt/acpi/slic.dat", AAVM_MATCH_EXACT, "r"));
    assert_true(aavm_test_has_rule(list, "/srv/a.ign", AAVM_MATCH_EXACT, "r"));
    assert_true(
        aavm_test_has_rule(list, "/var/lib/libvirt/qemu/pstore.raw", AAVM_MATCH_EXACT, "rw"));
    assert_string_equal(aavm_access_list_lookup(list, "/srv/a.ign", AAVM_MATCH_EXACT)->reason,
                        "fw_cfg entry opt/com.example/a");
    assert_string_equal(aavm_access_list_lookup(list, "/var/lib/libvirt/acpi/slic.dat",
                                                AAVM_MATCH_EXACT)->reason, "acpi table slic");
}

/* A template is read by the VM manager only; without a path the qemu
 * driver's default varstore is granted. */
static void
test_boot_nvram_template_default(void **state)
{
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(*state, "kvm",
        "<loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE.fd</loader>"
        "<nvram template='/usr/share/OVMF/OVMF_VARS.fd'/>", NULL, NULL);
    g_autoptr(AavmAccessList) empty = aavm_test_build_ok(*state, "kvm", "<nvram/>", NULL, NULL);

    assert_true(aavm_test_has_rule(list, "/var/lib/libvirt/qemu/nvram/vm1_VARS.fd",
                                   AAVM_MATCH_EXACT, "rwk"));
    assert_false(aavm_test_has_path_part(list, "OVMF_VARS"));
    assert_true(aavm_test_has_rule(empty, "/var/lib/libvirt/qemu/nvram/vm1_VARS.fd",
                                   AAVM_MATCH_EXACT, "rwk"));
}

static void
test_boot_nvram_template_with_path(void **state)
{
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(*state, "kvm",
        "<nvram template='/usr/share/OVMF/OVMF_VARS.fd'>/var/lib/libvirt/qemu/nvram/own.fd</nvram>",
        NULL, NULL);

    assert_true(aavm_test_has_rule(list, "/var/lib/libvirt/qemu/nvram/own.fd", AAVM_MATCH_EXACT,
                                   "rwk"));
    assert_false(aavm_test_has_path_part(list, "vm1_VARS"));
    assert_false(aavm_test_has_path_part(list, "OVMF_VARS"));
}

/* The default path carries the domain name escaped. */
static void
test_boot_nvram_default_escaped(void **state)
{
    AavmTestFixture *fx = *state;
    g_autofree char *xml = g_strdup(
        "<domain type='kvm'><name>vm@{x}</name><uuid>" AAVM_TEST_UUID "</uuid>"
        "<os><type>hvm</type><nvram/></os></domain>");
    g_autoptr(GError) error = NULL;
    g_autoptr(AavmAccessList) list = aavm_test_build(fx->host, fx->config, xml, &error);

    /* '{' is forbidden in domain names: refused before any rule. */
    assert_null(list);
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_BAD_NAME));
    g_clear_error(&error);
    g_free(xml);
    xml = g_strdup("<domain type='kvm'><name>vm@x</name><uuid>" AAVM_TEST_UUID "</uuid>"
                   "<os><type>hvm</type><nvram/></os></domain>");
    g_autoptr(AavmAccessList) ok = aavm_test_build(fx->host, fx->config, xml, &error);
    assert_non_null(ok);
    g_autofree char *body = aavm_render_body(ok);
    assert_non_null(strstr(body, "\"/var/lib/libvirt/qemu/nvram/vm\\@x_VARS.fd\" rwk,"));
}

/* Network nvram: nothing local, no warning; other drivers: no default. */
static void
test_boot_nvram_network_and_xen(void **state)
{
    g_autoptr(AavmAccessList) net = aavm_test_build_ok(*state, "kvm",
        "<nvram type='network'><source protocol='iscsi' name='iqn.x'>"
        "<host name='example.com'/></source></nvram>", NULL, NULL);
    g_autoptr(AavmAccessList) xen = aavm_test_build_ok(*state, "xen", "<nvram/>", NULL, NULL);

    assert_false(aavm_test_has_path_part(net, "nvram"));
    assert_int_equal(net->warnings->len, 0);
    assert_int_equal(aavm_access_list_length(xen), 0);
}

static void
test_boot_nvram_unknown_type_warns(void **state)
{
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(*state, "kvm",
        "<nvram type='volume'><source pool='p' volume='v'/></nvram>", NULL, NULL);

    assert_false(aavm_test_has_path_part(list, "nvram"));
    assert_true(
        aavm_test_has_warning(list->warnings, "The nvram of type 'volume' is not supported"));
}

static void
test_boot_pstore_warnings(void **state)
{
    g_autoptr(AavmAccessList) other = aavm_test_build_ok(*state, "xen", NULL, NULL,
        "<pstore backend='other'><path>/var/lib/libvirt/p.raw</path></pstore>");
    g_autoptr(AavmAccessList) two = aavm_test_build_ok(*state, "xen", NULL, NULL,
        "<pstore backend='acpi-erst'><path>/var/lib/libvirt/p1.raw</path></pstore>"
        "<pstore backend='acpi-erst'><path>/var/lib/libvirt/p2.raw</path></pstore>");

    assert_int_equal(aavm_access_list_length(other), 0);
    assert_true(aavm_test_has_warning(other->warnings, "pstore device with backend 'other'"));
    assert_true(aavm_test_has_rule(two, "/var/lib/libvirt/p1.raw", AAVM_MATCH_EXACT, "rw"));
    assert_null(aavm_access_list_lookup(two, "/var/lib/libvirt/p2.raw", AAVM_MATCH_EXACT));
    assert_true(aavm_test_has_warning(two->warnings, "more than one pstore device"));
}

/* Every path of the family goes through the path policy. */
static void
test_boot_refused(void **state)
{
    AavmTestFixture *fx = *state;

    aavm_test_assert_refused(fx, "kvm", "<acpi><table type='slic'>/etc/shadow</table></acpi>", NULL,
                             NULL, AAVM_ERROR_UNSAFE_PATH, NULL);
    aavm_test_assert_refused(
        fx, "kvm", NULL, "<sysinfo type='fwcfg'><entry name='opt/a' file='/etc/shadow'/></sysinfo>",
        NULL, AAVM_ERROR_UNSAFE_PATH, NULL);
    aavm_test_assert_refused(fx, "kvm", "<shim>/proc/self/mem</shim>", NULL, NULL,
                             AAVM_ERROR_UNSAFE_PATH, NULL);
    aavm_test_assert_refused(fx, "kvm", "<varstore path='/usr/share/OVMF/vars.json'/>", NULL, NULL,
                             AAVM_ERROR_UNSAFE_PATH, NULL);
    aavm_test_assert_refused(fx, "kvm", NULL, NULL,
                             "<pstore backend='acpi-erst'><path>/boot/p</path></pstore>",
                             AAVM_ERROR_UNSAFE_PATH, NULL);
    aavm_test_assert_refused(
        fx, "kvm", "<nvram template='/usr/share/OVMF/OVMF_VARS.fd'>/usr/share/OVMF/x.fd</nvram>",
        NULL, NULL, AAVM_ERROR_UNSAFE_PATH, NULL);
    aavm_test_assert_refused(fx, "kvm",
                             "<acpi><table type='slic'>/var/lib/libvirt/a\nb</table></acpi>", NULL,
                             NULL, AAVM_ERROR_UNSAFE_PATH, NULL);
}

/* Read-only firmware places may hold read-only boot files. */
static void
test_boot_readonly_firmware_ok(void **state)
{
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(*state, "xen",
        "<shim>/usr/share/OVMF/shimx64.efi</shim>"
        "<acpi><table type='slic'>/boot/slic.dat</table></acpi>", NULL, NULL);

    assert_true(aavm_test_has_rule(list, "/usr/share/OVMF/shimx64.efi", AAVM_MATCH_EXACT, "r"));
    assert_true(aavm_test_has_rule(list, "/boot/slic.dat", AAVM_MATCH_EXACT, "r"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_boot_none),
        cmocka_unit_test(test_boot_parse_all),
        AAVM_TEST_FIXTURE_CASE(test_boot_rules_all),
        AAVM_TEST_FIXTURE_CASE(test_boot_nvram_template_default),
        AAVM_TEST_FIXTURE_CASE(test_boot_nvram_template_with_path),
        AAVM_TEST_FIXTURE_CASE(test_boot_nvram_default_escaped),
        AAVM_TEST_FIXTURE_CASE(test_boot_nvram_network_and_xen),
        AAVM_TEST_FIXTURE_CASE(test_boot_nvram_unknown_type_warns),
        AAVM_TEST_FIXTURE_CASE(test_boot_pstore_warnings),
        AAVM_TEST_FIXTURE_CASE(test_boot_refused),
        AAVM_TEST_FIXTURE_CASE(test_boot_readonly_firmware_ok),
    };

    aavm_test_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
