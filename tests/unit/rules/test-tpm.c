/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-tpm.c: the TPM family: domain-parse-tpm.c and rules-tpm.c. */
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

#define STATE "/var/lib/libvirt/swtpm/" AAVM_TEST_UUID
#define SWTPM_RUN "/run/libvirt/qemu/swtpm/7-vm1-swtpm"

static char *
tpm_xml(const char *model, const char *backend)
{
    return g_strdup_printf("<tpm model='%s'>%s</tpm>", model, backend);
}

/* A domain without devices of this family has none in its model. */
static void
test_tpm_none(void **state)
{
    (void)state;
    g_autofree char *xml = aavm_test_domain_xml("kvm", NULL, NULL, NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(AavmDomain) domain = aavm_domain_parse_string(xml, strlen(xml), &error);

    assert_non_null(domain);
    assert_int_equal(domain->tpms->len, 0);
}

static void
test_tpm_parse(void **state)
{
    (void)state;
    g_autofree char *xml =
        aavm_test_domain_xml("kvm", NULL, NULL,
                             "<tpm model='tpm-crb'><backend type='emulator' version='2.0'>"
                             "<source type='dir' path='/srv/tpm'/></backend></tpm>"
                             "<tpm model='tpm-tis'><backend type='passthrough'><device "
                             "path='/dev/tpm0'/></backend></tpm>");
    g_autoptr(GError) error = NULL;
    g_autoptr(AavmDomain) domain = aavm_domain_parse_string(xml, strlen(xml), &error);
    const AavmTpm *tpm = NULL;

    assert_non_null(domain);
    assert_int_equal(domain->tpms->len, 2);
    tpm = g_ptr_array_index(domain->tpms, 0);
    assert_string_equal(tpm->model, "tpm-crb");
    assert_string_equal(tpm->backend, "emulator");
    assert_string_equal(tpm->version, "2.0");
    assert_string_equal(tpm->source_type, "dir");
    assert_string_equal(tpm->source_path, "/srv/tpm");
    tpm = g_ptr_array_index(domain->tpms, 1);
    assert_int_equal(tpm->index, 1);
    assert_string_equal(tpm->device_path, "/dev/tpm0");
    assert_null(tpm->version);
}

static void
test_tpm_emulator_20(void **state)
{
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(*state, "kvm", NULL, NULL,
        "<tpm model='tpm-tis'><backend type='emulator' version='2.0'/></tpm>");

    assert_true(aavm_test_has_rule(list, SWTPM_RUN ".sock", AAVM_MATCH_EXACT, "rw"));
    assert_true(aavm_test_has_rule(list, SWTPM_RUN ".pid", AAVM_MATCH_EXACT, "rw"));
    assert_true(aavm_test_has_rule(list, "/var/log/swtpm/libvirt/qemu/vm1-swtpm.log",
                                   AAVM_MATCH_EXACT, "w"));
    assert_true(aavm_test_has_rule(list, STATE "/tpm2", AAVM_MATCH_DIR, "r"));
    assert_true(aavm_test_has_rule(list, STATE "/tpm2", AAVM_MATCH_TREE, "rwk"));
    assert_false(aavm_test_has_path_part(list, "tpm1.2"));
    assert_string_equal(aavm_access_list_lookup(list, SWTPM_RUN ".sock", AAVM_MATCH_EXACT)->reason,
                        "tpm0 (emulator)");
}

static void
test_tpm_emulator_12(void **state)
{
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(*state, "kvm", NULL, NULL,
        "<tpm model='tpm-tis'><backend type='emulator' version='1.2'/></tpm>");

    assert_true(aavm_test_has_rule(list, STATE "/tpm1.2", AAVM_MATCH_DIR, "r"));
    assert_true(aavm_test_has_rule(list, STATE "/tpm1.2", AAVM_MATCH_TREE, "rwk"));
    assert_false(aavm_test_has_path_part(list, "tpm2"));
}

/* Without a version: never "(null)"; 2.0 where only 2.0 exists, else both. */
static void
test_tpm_emulator_no_version(void **state)
{
    AavmTestFixture *fx = *state;
    const struct {
        const char *model;
        const char *arch;
        gboolean v12;
    } cases[] = {
        { "tpm-tis", "x86_64", TRUE },
        { "tpm-crb", "x86_64", FALSE },
        { "tpm-spapr", "ppc64", FALSE },
        { "tpm-tis-device", "aarch64", FALSE },
    };

    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *xml = g_strdup_printf(
            "<domain type='kvm' id='7'><name>vm1</name><uuid>" AAVM_TEST_UUID "</uuid>"
            "<os><type arch='%s'>hvm</type></os><devices><tpm model='%s'>"
            "<backend type='emulator'/></tpm></devices></domain>", cases[i].arch, cases[i].model);
        g_autoptr(AavmAccessList) list = aavm_test_build_xml_ok(fx, xml);
        g_autofree char *body = aavm_render_body(list);

        assert_null(strstr(body, "(null)"));
        assert_true(aavm_test_has_rule(list, STATE "/tpm2", AAVM_MATCH_TREE, "rwk"));
        assert_int_equal(aavm_test_has_rule(list, STATE "/tpm1.2", AAVM_MATCH_TREE, "rwk"),
                         cases[i].v12);
    }
}

static void
test_tpm_emulator_unknown_version(void **state)
{
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(*state, "kvm", NULL, NULL,
        "<tpm model='tpm-tis'><backend type='emulator' version='3.0'/></tpm>");

    assert_false(aavm_test_has_path_part(list, "/swtpm/" AAVM_TEST_UUID));
    assert_true(aavm_test_has_rule(list, SWTPM_RUN ".sock", AAVM_MATCH_EXACT, "rw"));
    assert_true(aavm_test_has_warning(list->warnings,
                                      "The TPM version '3.0' of tpm0 (emulator) is unknown"));
}

/* A state location from the XML replaces the default one. */
static void
test_tpm_emulator_custom_state(void **state)
{
    g_autoptr(AavmAccessList) dir = aavm_test_build_ok(*state, "kvm", NULL, NULL,
        "<tpm model='tpm-crb'><backend type='emulator' version='2.0'>"
        "<source type='dir' path='/srv/share/tpm'/></backend></tpm>");
    g_autoptr(AavmAccessList) file = aavm_test_build_ok(*state, "kvm", NULL, NULL,
        "<tpm model='tpm-crb'><backend type='emulator' version='2.0'>"
        "<source type='file' path='/var/lib/libvirt/tpm.state'/></backend></tpm>");
    g_autoptr(AavmAccessList) odd = aavm_test_build_ok(*state, "kvm", NULL, NULL,
        "<tpm model='tpm-crb'><backend type='emulator' version='2.0'>"
        "<source type='volume' path='/x'/></backend></tpm>");

    assert_true(aavm_test_has_rule(dir, "/srv/share/tpm", AAVM_MATCH_DIR, "r"));
    assert_true(aavm_test_has_rule(dir, "/srv/share/tpm", AAVM_MATCH_TREE, "rwk"));
    assert_false(aavm_test_has_path_part(dir, "/swtpm/" AAVM_TEST_UUID));
    assert_true(aavm_test_has_rule(file, "/var/lib/libvirt/tpm.state", AAVM_MATCH_EXACT, "rwk"));
    assert_false(aavm_test_has_path_part(file, "/swtpm/" AAVM_TEST_UUID));
    assert_true(aavm_test_has_rule(odd, STATE "/tpm2", AAVM_MATCH_TREE, "rwk"));
    assert_true(
        aavm_test_has_warning(odd->warnings, "state source of type 'volume' of tpm0 (emulator)"));
}

/* The domain name is escaped in the log path, the short name in the socket. */
static void
test_tpm_emulator_name_escaped(void **state)
{
    g_autoptr(AavmAccessList) list = aavm_test_build_xml_ok(*state,
        "<domain type='kvm'><name>vm@home</name><uuid>" AAVM_TEST_UUID "</uuid>"
        "<os><type>hvm</type></os><devices><tpm model='tpm-crb'>"
        "<backend type='emulator' version='2.0'/></tpm></devices></domain>");
    g_autofree char *body = aavm_render_body(list);

    assert_non_null(strstr(body, "\"/var/log/swtpm/libvirt/qemu/vm\\@home-swtpm.log\" w,"));
    assert_non_null(strstr(body, "\"/run/libvirt/qemu/swtpm/-1-vm\\@home-swtpm.sock\" rw,"));
}

static void
test_tpm_passthrough(void **state)
{
    g_autoptr(AavmAccessList) list =
        aavm_test_build_ok(*state, "kvm", NULL, NULL,
                           "<tpm model='tpm-tis'><backend type='passthrough'><device "
                           "path='/dev/tpm1'/></backend></tpm>");
    g_autoptr(AavmAccessList) dflt = aavm_test_build_ok(*state, "kvm", NULL, NULL,
        "<tpm model='tpm-tis'><backend type='passthrough'/></tpm>");

    assert_true(aavm_test_has_rule(list, "/dev/tpm1", AAVM_MATCH_EXACT, "rw"));
    assert_false(aavm_test_has_path_part(list, "swtpm"));
    assert_true(aavm_test_has_rule(dflt, "/dev/tpm0", AAVM_MATCH_EXACT, "rw"));
}

static void
test_tpm_external(void **state)
{
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(*state, "kvm", NULL, NULL,
        "<tpm model='tpm-tis'><backend type='external'>"
        "<source type='unix' mode='connect' path='/tmp/swtpm.sock'/></backend></tpm>");
    g_autoptr(AavmAccessList) none = aavm_test_build_ok(*state, "kvm", NULL, NULL,
        "<tpm model='tpm-tis'><backend type='external'/></tpm>");

    assert_true(aavm_test_has_rule(list, "/tmp/swtpm.sock", AAVM_MATCH_EXACT, "rw"));
    assert_false(aavm_test_has_path_part(list, "swtpm/"));
    assert_true(aavm_test_has_warning(none->warnings,
                                      "external TPM tpm0 (external) has no unix socket path"));
}

static void
test_tpm_unknown_backend(void **state)
{
    g_autofree char *tpm = tpm_xml("tpm-tis", "<backend type='future'/>");
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(*state, "kvm", NULL, NULL, tpm);

    assert_false(aavm_test_has_path_part(list, "tpm"));
    assert_true(aavm_test_has_warning(list->warnings, "The TPM tpm0 (future) is not supported"));
}

static void
test_tpm_refused(void **state)
{
    AavmTestFixture *fx = *state;
    const char *bad[] = {
        "<tpm model='tpm-tis'><backend type='passthrough'><device "
        "path='/etc/shadow'/></backend></tpm>",
        "<tpm model='tpm-tis'><backend type='passthrough'><device "
        "path='/dev/mem'/></backend></tpm>",
        "<tpm model='tpm-tis'><backend type='passthrough'><device "
        "path='dev/tpm0'/></backend></tpm>",
        "<tpm model='tpm-crb'><backend type='emulator' version='2.0'><source type='dir' "
        "path='/'/></backend></tpm>",
        "<tpm model='tpm-crb'><backend type='emulator' version='2.0'><source type='dir' "
        "path='/etc'/></backend></tpm>",
        "<tpm model='tpm-crb'><backend type='emulator' version='2.0'><source type='file' "
        "path='/boot/x'/></backend></tpm>",
        "<tpm model='tpm-tis'><backend type='external'><source type='unix' "
        "path='/proc/1/x'/></backend></tpm>",
    };

    for (guint i = 0; i < G_N_ELEMENTS(bad); i++)
        aavm_test_assert_refused(fx, "kvm", NULL, NULL, bad[i], AAVM_ERROR_UNSAFE_PATH, NULL);
}

int
main(void)
{
#define T(f) AAVM_TEST_FIXTURE_CASE(f)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tpm_none),
        cmocka_unit_test(test_tpm_parse),
        T(test_tpm_emulator_20),
        T(test_tpm_emulator_12),
        T(test_tpm_emulator_no_version),
        T(test_tpm_emulator_unknown_version),
        T(test_tpm_emulator_custom_state),
        T(test_tpm_emulator_name_escaped),
        T(test_tpm_passthrough),
        T(test_tpm_external),
        T(test_tpm_unknown_backend),
        T(test_tpm_refused),
    };
#undef T

    aavm_test_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
