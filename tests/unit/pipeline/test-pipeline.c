/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-pipeline.c: XML -> domain, sorted rules, warnings (helper/pipeline/pipeline.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <glib.h>

#include "aavm-error.h"
#include "pipeline.h"
#include "testutil.h"

#define DISK "<disk type='file' device='disk'><driver name='qemu' type='raw'/>" \
             "<source file='/libvirt-images/x.img'/><target dev='vda'/></disk>"
#define VOLUME_DISK "<disk type='volume' device='disk'><driver name='qemu' type='raw'/>" \
                     "<source pool='default' volume='data.img'/><target dev='vdb'/></disk>"

static gboolean
run(AavmTestFixture *fx, const char *xml, const AavmPipelineOptions *options, AavmPipeline *p,
    GError **error)
{
    return aavm_pipeline_run(fx->config, fx->host, xml, strlen(xml), options, p, error);
}

/* The domain, its rules sorted (the base rules before the image: by path),
 * the -f arguments among them. */
static void
test_pipeline_sorted_with_add_files(void **state)
{
    AavmTestFixture *fx = *state;
    g_autofree char *xml = aavm_test_domain_xml("kvm", NULL, NULL, DISK);
    const char *const add[] = { "/srv/share/{,**}", NULL };
    const AavmPipelineOptions options = { .add_files = add };
    g_autoptr(GError) error = NULL;
    g_auto(AavmPipeline) p = { 0 };

    assert_true(run(fx, xml, &options, &p, &error));
    assert_null(error);
    assert_string_equal(p.domain->uuid, AAVM_TEST_UUID);
    assert_non_null(p.warnings);
    assert_true(aavm_test_has_rule(p.list, "/libvirt-images/x.img", AAVM_MATCH_EXACT, "rwk"));
    assert_true(aavm_test_has_rule(p.list, "/srv/share", AAVM_MATCH_TREE, "rwk"));
    const AavmAccess *tree = aavm_access_list_lookup(p.list, "/srv/share", AAVM_MATCH_TREE);
    assert_string_equal(tree->reason, "-f add-file");
    assert_int_equal(tree->origins, AAVM_ORIGIN_EXTRA);
    for (guint i = 1; i < aavm_access_list_length(p.list); i++)
        assert_true(strcmp(aavm_access_list_get(p.list, i - 1)->path,
                           aavm_access_list_get(p.list, i)->path) <= 0);
}

/* -u: the profile name must be the domain's; checked before any rule. */
static void
test_pipeline_profile_name(void **state)
{
    AavmTestFixture *fx = *state;
    g_autofree char *xml = aavm_test_domain_xml("kvm", NULL, NULL,
        "<disk type='file' device='disk'><source file='/etc/shadow'/><target dev='vda'/></disk>");
    const AavmPipelineOptions other = { .profile_name = "libvirt-00000000-0000-0000-0000-000000000000" };
    const AavmPipelineOptions same = { .profile_name = "libvirt-" AAVM_TEST_UUID };
    g_autoptr(GError) error = NULL;
    g_auto(AavmPipeline) p = { 0 };
    g_auto(AavmPipeline) q = { 0 };

    assert_false(run(fx, xml, &other, &p, &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_UUID_MISMATCH));
    g_clear_error(&error);
    /* The right name: the next refusal is the unsafe path. */
    assert_false(run(fx, xml, &same, &q, &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_UNSAFE_PATH));
    assert_non_null(q.domain);
    assert_null(q.list);
}

/* domain_only: parsed and checked, no rules (so no unsafe path either);
 * a bad name is still refused. */
static void
test_pipeline_domain_only(void **state)
{
    AavmTestFixture *fx = *state;
    g_autofree char *xml = aavm_test_domain_xml("kvm", NULL, NULL,
        "<disk type='file' device='disk'><source file='/etc/shadow'/><target dev='vda'/></disk>");
    const AavmPipelineOptions options = { .domain_only = TRUE };
    g_autoptr(GError) error = NULL;
    g_auto(AavmPipeline) p = { 0 };
    g_auto(AavmPipeline) bad = { 0 };
    g_autoptr(AavmDomain) parsed = aavm_test_parse("kvm", NULL, NULL, NULL);
    g_autofree char *bad_xml = g_strdup_printf("<domain type='kvm'><name>a/b</name><uuid>%s</uuid>"
                                               "<os><type>hvm</type></os></domain>",
                                               parsed->uuid);

    assert_true(run(fx, xml, &options, &p, &error));
    assert_non_null(p.domain);
    assert_null(p.list);
    assert_false(run(fx, bad_xml, &options, &bad, &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_BAD_NAME));
}

/* Warnings come out; a refused -f keeps those of the XML's rules. */
static void
test_pipeline_warnings(void **state)
{
    AavmTestFixture *fx = *state;
    g_autofree char *xml = aavm_test_domain_xml("kvm", NULL, NULL, DISK VOLUME_DISK);
    const char *const add[] = { "/etc/shadow", NULL };
    const AavmPipelineOptions refused = { .add_files = add };
    g_autoptr(GError) error = NULL;
    g_auto(AavmPipeline) p = { 0 };
    g_auto(AavmPipeline) q = { 0 };

    assert_true(run(fx, xml, NULL, &p, &error));
    assert_true(p.warnings->len > 0);
    assert_false(run(fx, xml, &refused, &q, &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_UNSAFE_PATH));
    assert_null(q.list);
    assert_int_equal(q.warnings->len, p.warnings->len);
}

/* What cannot be parsed has no domain. */
static void
test_pipeline_bad_xml(void **state)
{
    AavmTestFixture *fx = *state;
    g_autoptr(GError) error = NULL;
    g_auto(AavmPipeline) p = { 0 };

    assert_false(run(fx, "<domain", &(AavmPipelineOptions){ 0 }, &p, &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_INVALID_XML));
    assert_null(p.domain);
    assert_false(aavm_pipeline_run(fx->config, fx->host, NULL, 0, NULL, &p, NULL));
}

int
main(void)
{
    aavm_test_init();
    const struct CMUnitTest tests[] = {
        AAVM_TEST_FIXTURE_CASE(test_pipeline_sorted_with_add_files),
        AAVM_TEST_FIXTURE_CASE(test_pipeline_profile_name),
        AAVM_TEST_FIXTURE_CASE(test_pipeline_domain_only),
        AAVM_TEST_FIXTURE_CASE(test_pipeline_warnings),
        AAVM_TEST_FIXTURE_CASE(test_pipeline_bad_xml),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
