/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-explain.c: the text table and the JSON of aavm explain. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "explain.h"
#include "findings.h"
#include "pipeline.h"
#include "testutil.h"

static AavmDomain *
domain_named(const char *name, const char *uuid)
{
    AavmDomain *domain = aavm_domain_new();

    domain->name = g_strdup(name);
    domain->uuid = g_strdup(uuid);
    return domain;
}

static GPtrArray *
new_findings(void)
{
    return g_ptr_array_new_with_free_func((GDestroyNotify)aavm_finding_free);
}

static void
assert_contains(const char *text, const char *part)
{
    if (!strstr(text, part))
        fail_msg("'%s' does not contain '%s'", text, part);
}

static void
test_path_column(void **state)
{
    (void)state;
    struct {
        const char *path;
        AavmMatch match;
        const char *shown;
    } rows[] = {
        { "/srv/a.img", AAVM_MATCH_EXACT, "/srv/a.img" },
        { "/srv/share", AAVM_MATCH_DIR, "/srv/share/" },
        { "/srv/share/", AAVM_MATCH_DIR, "/srv/share/" },
        { "/srv/share", AAVM_MATCH_TREE, "/srv/share/**" },
        { "/", AAVM_MATCH_TREE, "/**" },
        { "/run/libvirt/**/vm1.pid", AAVM_MATCH_PATTERN, "/run/libvirt/**/vm1.pid" },
    };

    for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
        g_autoptr(AavmAccess) access = aavm_access_new(rows[i].path, rows[i].match,
                                                       AAVM_PERM_READ, NULL);
        g_autofree char *shown = aavm_explain_path(access);
        assert_string_equal(shown, rows[i].shown);
    }
}

static void
test_origins_column(void **state)
{
    (void)state;
    g_autofree char *none = aavm_explain_origins(0);
    g_autofree char *device = aavm_explain_origins(AAVM_ORIGIN_DEVICE);
    g_autofree char *all = aavm_explain_origins(AAVM_ORIGIN_PASSTHROUGH | AAVM_ORIGIN_DEVICE |
                                                AAVM_ORIGIN_EXTRA | AAVM_ORIGIN_BASE);

    assert_string_equal(none, "-");
    assert_string_equal(device, "device");
    assert_string_equal(all, "device,base,extra,passthrough");
}

/* A small list: the exact table, aligned, with the origins of each rule. */
static AavmAccessList *
small_list(void)
{
    AavmAccessList *list = aavm_access_list_new();

    aavm_access_list_add(list, "/var/lib/libvirt/images/vm1.img", AAVM_MATCH_EXACT,
                         AAVM_PERM_RWK, "disk vda");
    aavm_access_list_add(list, "/srv/share", AAVM_MATCH_TREE, AAVM_PERM_RW, "filesystem0");
    aavm_access_list_add_from(list, AAVM_ORIGIN_PASSTHROUGH, "/srv/x.img", AAVM_MATCH_EXACT,
                              AAVM_PERM_RW, "passthrough -drive file= (qemu:arg 3)");
    aavm_access_list_add_from(list, AAVM_ORIGIN_BASE, "/var/lib/libvirt/images/vm1.img",
                              AAVM_MATCH_EXACT, AAVM_PERM_READ, "base");
    aavm_access_list_sort(list);
    return list;
}

static void
test_text_table(void **state)
{
    (void)state;
    g_autoptr(AavmDomain) domain = domain_named("vm1", AAVM_TEST_UUID);
    g_autoptr(AavmAccessList) list = small_list();
    g_autoptr(GPtrArray) findings = new_findings();
    g_autofree char *text = aavm_explain_to_text(domain, list, findings, NULL);

    assert_string_equal(text,
        "Domain 'vm1' (profile libvirt-" AAVM_TEST_UUID "):\n"
        "PERMS  PATH                             FROM         REASON\n"
        "rw     /srv/share/**                    device       filesystem0\n"
        "rw     /srv/x.img                       passthrough  passthrough -drive file= (qemu:arg 3)\n"
        "rwk    /var/lib/libvirt/images/vm1.img  device,base  disk vda; base\n"
        "\n"
        "Findings: none.\n");
}

static void
test_text_findings_and_warnings(void **state)
{
    (void)state;
    g_autoptr(AavmDomain) domain = domain_named("vm1", AAVM_TEST_UUID);
    g_autoptr(AavmAccessList) list = aavm_access_list_new();
    g_autoptr(GPtrArray) findings = new_findings();
    g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);

    g_ptr_array_add(warnings, g_strdup("disk vdc: not granted."));
    g_ptr_array_add(findings, aavm_finding_new(AAVM_SEVERITY_WARNING,
                                               AAVM_FINDING_NETWORK_STORAGE, "disk vdb",
                                               "On rbd.", "Per-VM client."));
    g_ptr_array_add(findings, aavm_finding_new(AAVM_SEVERITY_NOTE, AAVM_FINDING_NO_FORMAT,
                                               "disk sda", "No format.", "Add one."));
    g_autofree char *text = aavm_explain_to_text(domain, list, findings, warnings);

    assert_string_equal(text,
        "Domain 'vm1' (profile libvirt-" AAVM_TEST_UUID "):\n"
        "No rules: this driver's profile includes no generated rules.\n"
        "\n"
        "Warnings:\n"
        "  disk vdc: not granted.\n"
        "\n"
        "Findings:\n"
        "warning: network-storage: disk vdb\n"
        "    On rbd.\n"
        "    What to do: Per-VM client.\n"
        "note: no-format: disk sda\n"
        "    No format.\n"
        "    What to do: Add one.\n");
}

/* Names, paths, reasons and findings from the XML cannot reach the
 * terminal as control characters. */
static void
test_text_hostile(void **state)
{
    (void)state;
    g_autoptr(AavmDomain) domain = domain_named("vm\x1b]0;x\x07", AAVM_TEST_UUID);
    g_autoptr(AavmAccessList) list = aavm_access_list_new();
    g_autoptr(GPtrArray) findings = new_findings();
    g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);

    aavm_access_list_add(list, "/srv/a\nb\x1b[2J", AAVM_MATCH_EXACT, AAVM_PERM_READ,
                         "disk \x1b[31mvda\r");
    g_ptr_array_add(warnings, g_strdup("bad\x1b[0m"));
    g_ptr_array_add(findings, aavm_finding_new(AAVM_SEVERITY_WARNING, AAVM_FINDING_NO_FORMAT,
                                               "disk \xc2\x9bvda", "m\x1b", "a\x7f"));
    g_autofree char *text = aavm_explain_to_text(domain, list, findings, warnings);

    assert_null(strchr(text, '\x1b'));
    assert_null(strchr(text, '\r'));
    assert_null(strchr(text, '\x07'));
    assert_null(strchr(text, '\x7f'));
    assert_null(strstr(text, "\xc2\x9b"));
    assert_contains(text, "vm\\x1b]0;x\\x07");
    assert_contains(text, "/srv/a\\x0ab\\x1b[2J");
    assert_contains(text, "disk \\x1b[31mvda\\x0d");
    assert_contains(text, "bad\\x1b[0m");
    assert_contains(text, "disk \\u009bvda");
}

static void
test_json(void **state)
{
    (void)state;
    g_autoptr(AavmDomain) domain = domain_named("vm\"1", AAVM_TEST_UUID);
    g_autoptr(AavmAccessList) list = small_list();
    g_autoptr(GPtrArray) findings = new_findings();
    g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);

    g_ptr_array_add(warnings, g_strdup("w\n1"));
    g_ptr_array_add(findings, aavm_finding_new(AAVM_SEVERITY_NOTE, AAVM_FINDING_NO_FORMAT,
                                               "disk sda", "No\x1b format.", "Add one."));
    g_autofree char *json = aavm_explain_to_json(domain, list, findings, warnings);

    assert_string_equal(json,
        "{\"version\":1,\"domain\":{\"name\":\"vm\\\"1\",\"uuid\":\"" AAVM_TEST_UUID "\"},"
        "\"rules\":["
        "{\"path\":\"/srv/share\",\"match\":\"tree\",\"perms\":\"rw\",\"origins\":[\"device\"],"
        "\"reason\":\"filesystem0\"},"
        "{\"path\":\"/srv/x.img\",\"match\":\"exact\",\"perms\":\"rw\","
        "\"origins\":[\"passthrough\"],\"reason\":\"passthrough -drive file= (qemu:arg 3)\"},"
        "{\"path\":\"/var/lib/libvirt/images/vm1.img\",\"match\":\"exact\",\"perms\":\"rwk\","
        "\"origins\":[\"device\",\"base\"],\"reason\":\"disk vda; base\"}],"
        "\"findings\":[{\"severity\":\"note\",\"kind\":\"no-format\",\"subject\":\"disk sda\","
        "\"message\":\"No\\u001b format.\",\"advice\":\"Add one.\",\"other_vms\":[]}],"
        "\"warnings\":[\"w\\n1\"]}");
}

static void
test_json_empty(void **state)
{
    (void)state;
    g_autoptr(AavmDomain) domain = domain_named("vm1", AAVM_TEST_UUID);
    g_autoptr(AavmAccessList) list = aavm_access_list_new();
    g_autofree char *json = aavm_explain_to_json(domain, list, NULL, NULL);

    assert_string_equal(json, "{\"version\":1,\"domain\":{\"name\":\"vm1\",\"uuid\":\"" AAVM_TEST_UUID
                              "\"},\"rules\":[],\"findings\":[],\"warnings\":[]}");
}

/* The whole path: a domain built on the fake root, its findings, its text. */
static void
test_built_domain(void **state)
{
    AavmTestFixture *fx = *state;
    g_autofree char *xml = aavm_test_domain_xml("kvm", NULL, NULL,
        "<disk type='file' device='disk'><source file='/libvirt-images/x.img'/>"
        "<target dev='vda' bus='virtio'/></disk>");
    g_autoptr(GError) error = NULL;
    g_auto(AavmPipeline) p = { 0 };
    g_autoptr(AavmSite) site = aavm_site_new();

    assert_true(aavm_pipeline_run(fx->config, fx->host, xml, strlen(xml), NULL, &p, &error));
    g_autoptr(GPtrArray) findings = aavm_findings_collect(p.domain, p.list, site, fx->host,
                                                          fx->config);
    g_autofree char *text = aavm_explain_to_text(p.domain, p.list, findings, p.warnings);

    assert_contains(text, "Domain 'vm1' (profile libvirt-" AAVM_TEST_UUID "):\n");
    assert_contains(text, "\nrwk    /libvirt-images/x.img");
    assert_contains(text, "  device  disk vda\n");
    assert_contains(text, "  base    pid file\n");
    assert_contains(text, "\nFindings:\nwarning: no-format: disk vda\n");
}

/* A refused domain gives no list and the reason; the domain is kept. */
static void
test_build_refused(void **state)
{
    AavmTestFixture *fx = *state;
    g_autofree char *xml = aavm_test_domain_xml("kvm", NULL, NULL,
        "<disk type='file' device='disk'><driver name='qemu' type='raw'/>"
        "<source file='/etc/shadow'/><target dev='vda' bus='virtio'/></disk>");
    g_autoptr(GError) error = NULL;
    g_auto(AavmPipeline) p = { 0 };

    assert_false(aavm_pipeline_run(fx->config, fx->host, xml, strlen(xml), NULL, &p, &error));
    assert_null(p.list);
    assert_non_null(p.domain);
    assert_non_null(error);
    assert_contains(error->message, "/etc/shadow");
}

int
main(void)
{
    aavm_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_path_column),
        cmocka_unit_test(test_origins_column),
        cmocka_unit_test(test_text_table),
        cmocka_unit_test(test_text_findings_and_warnings),
        cmocka_unit_test(test_text_hostile),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_json_empty),
        AAVM_TEST_FIXTURE_CASE(test_built_domain),
        AAVM_TEST_FIXTURE_CASE(test_build_refused),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
