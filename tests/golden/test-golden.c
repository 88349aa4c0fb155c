/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-golden: tests/data/<case>.xml -> <case>.files or <case>.err.
 *
 * Cases are found by glob.  A case must have exactly one expectation, and
 * no expectation may lack its .xml.  Paths in the XML are resolved inside
 * tests/fakeroot.  Every expected .files is also wrapped into the shipped
 * TEMPLATE.<driver> and compiled by the real apparmor_parser.
 *
 * Optional <case>.args: one "add-file PATH" per line, like aavm-helper -f.
 * A case that warns has its warnings, one a line, in <case>.warnings.
 * Regenerate the expectations: AAVM_TEST_REGENERATE=1 make check. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>

#include "aavm-error.h"
#include "pipeline.h"
#include "render.h"
#include "template.h"
#include "testutil.h"

typedef struct {
    char *name;
    char *base; /* data dir + case name, without extension */
} GoldenCase;

static gboolean
regenerating(void)
{
    return g_strcmp0(g_getenv("AAVM_TEST_REGENERATE"), "1") == 0;
}

static char *
case_file(const GoldenCase *c, const char *ext)
{
    return g_strconcat(c->base, ext, NULL);
}

/* The case's -f arguments, from its .args ("add-file PATH" a line). */
static GStrv
case_add_files(const GoldenCase *c)
{
    g_autofree char *path = case_file(c, ".args");
    g_autofree char *text = aavm_test_read_file(path);
    GPtrArray *files = g_ptr_array_new();
    g_auto(GStrv) lines = g_strsplit(text ? text : "", "\n", -1);

    for (guint i = 0; lines[i]; i++) {
        if (!*lines[i])
            continue;
        if (!g_str_has_prefix(lines[i], "add-file "))
            fail_msg("%s: unknown line '%s'", path, lines[i]);
        g_ptr_array_add(files, g_strdup(lines[i] + strlen("add-file ")));
    }
    g_ptr_array_add(files, NULL);
    return (GStrv)g_ptr_array_free(files, FALSE);
}

/* The case's .files text, or NULL with @error set: the pipeline
 * aavm-helper runs (aavm_pipeline_run()), rendered. */
static char *
run_pipeline(const GoldenCase *c, AavmDomain **out_domain, char **out_warnings, GError **error)
{
    g_autofree char *xml_path = case_file(c, ".xml");
    g_autofree char *xml = NULL;
    g_autofree char *root = aavm_test_fakeroot();
    g_autoptr(AavmConfig) config = aavm_test_config();
    g_autoptr(AavmHost) host = aavm_host_new(root, error);
    g_auto(GStrv) add_files = case_add_files(c);
    const AavmPipelineOptions options = { .add_files = (const char *const *)add_files };
    g_auto(AavmPipeline) p = { 0 };
    gsize len = 0;

    assert_non_null(host);
    assert_true(g_file_get_contents(xml_path, &xml, &len, NULL));
    if (!aavm_pipeline_run(config, host, xml, len, &options, &p, error))
        return NULL;
    *out_domain = g_steal_pointer(&p.domain);
    GString *warnings = g_string_new("");
    for (guint i = 0; i < p.warnings->len; i++)
        g_string_append_printf(warnings, "%s\n", (const char *)g_ptr_array_index(p.warnings, i));
    *out_warnings = g_string_free(warnings, FALSE);
    return aavm_render_files(p.list, (*out_domain)->name);
}

/* Wrap the .files into the shipped template and compile it for real. */
static void
compile_with_template(const AavmDomain *domain, const char *files_text)
{
    g_autofree char *dir = aavm_test_make_tmpdir();
    g_autofree char *template_name = g_strconcat("../templates/TEMPLATE.",
                                                 aavm_domain_driver(domain), NULL);
    g_autofree char *template_path = aavm_test_srcdir_path(template_name);
    g_autofree char *template_text = aavm_test_read_file(template_path);
    g_autofree char *files_path = g_build_filename(dir, "libvirt-test.files", NULL);
    g_autofree char *profile_path = g_build_filename(dir, "libvirt-test", NULL);
    g_autofree char *include = aavm_template_include_line(files_path);
    g_autofree char *output = NULL;
    g_autoptr(GError) error = NULL;

    if (!template_text) {
        /* Drivers we ship no template for (xen, ...): the rules alone. */
        g_free(template_path);
        template_path = aavm_test_srcdir_path("../templates/TEMPLATE.qemu");
        template_text = aavm_test_read_file(template_path);
    }
    assert_non_null(template_text);
    g_autofree char *profile = aavm_template_fill(template_text, "libvirt-test",
                                                  aavm_domain_uses_files(domain) ? include : NULL,
                                                  NULL, &error);
    assert_non_null(profile);
    assert_true(g_file_set_contents(files_path, files_text, -1, NULL));
    assert_true(g_file_set_contents(profile_path, profile, -1, NULL));
    if (!aavm_test_compile_profile(profile_path, &output))
        fail_msg("apparmor_parser refused the profile:\n%s", output ? output : "");
    aavm_test_rm_rf(dir);
}

static void
check_error(const GoldenCase *c, const GError *error)
{
    g_autofree char *err_path = case_file(c, ".err");
    g_autofree char *expected = aavm_test_read_file(err_path);
    AavmError code;

    assert_int_equal(error->domain, AAVM_ERROR);
    if (regenerating()) {
        g_autofree char *files_path = case_file(c, ".files");
        g_unlink(files_path);
        g_autofree char *text = g_strdup_printf("%s\n%s\n",
                                                aavm_error_code_to_string(error->code),
                                                error->message);
        assert_true(g_file_set_contents(err_path, text, -1, NULL));
        return;
    }
    if (!expected)
        fail_msg("%s failed, but has no .err: %s: %s", c->name,
                 aavm_error_code_to_string(error->code), error->message);
    g_auto(GStrv) lines = g_strsplit(expected, "\n", 3);
    if (!aavm_error_code_from_string(lines[0], &code))
        fail_msg("%s: first line '%s' is not an error code", err_path, lines[0]);
    if ((int)code != error->code)
        fail_msg("%s: expected %s, got %s: %s", c->name, lines[0],
                 aavm_error_code_to_string(error->code), error->message);
    if (lines[1] && *lines[1] && !strstr(error->message, lines[1]))
        fail_msg("%s: message '%s' lacks '%s'", c->name, error->message, lines[1]);
}

static void
run_case(void **state)
{
    const GoldenCase *c = *state;
    g_autoptr(GError) error = NULL;
    g_autoptr(AavmDomain) domain = NULL;
    g_autofree char *files_path = case_file(c, ".files");
    g_autofree char *err_path = case_file(c, ".err");
    g_autofree char *warnings_path = case_file(c, ".warnings");
    g_autofree char *warnings = NULL;
    g_autofree char *text = run_pipeline(c, &domain, &warnings, &error);

    if (!text) {
        check_error(c, error);
        return;
    }
    if (regenerating())
        g_unlink(err_path);
    if (g_file_test(err_path, G_FILE_TEST_EXISTS))
        fail_msg("%s was expected to fail (%s) but succeeded", c->name, err_path);
    if (!g_file_test(files_path, G_FILE_TEST_EXISTS) && !regenerating())
        fail_msg("%s has no expectation: add %s (AAVM_TEST_REGENERATE=1)", c->name, files_path);
    assert_true(aavm_test_compare_with_file(files_path, text));
    if (*warnings)
        assert_true(aavm_test_compare_with_file(warnings_path, warnings));
    else if (regenerating())
        g_unlink(warnings_path);
    else if (g_file_test(warnings_path, G_FILE_TEST_EXISTS))
        fail_msg("%s warned nothing, but %s exists", c->name, warnings_path);
    compile_with_template(domain, text);
}

/* Every .files/.err/.args needs its .xml; every .xml exactly one of .files/.err. */
static void
check_expectations(void **state)
{
    GPtrArray *cases = *state;
    g_autofree char *data = aavm_test_srcdir_path("data");
    g_autoptr(GDir) dir = g_dir_open(data, 0, NULL);
    const char *entry;
    guint problems = 0;

    if (regenerating())
        return; /* the cases themselves write the expectations */
    assert_non_null(dir);
    while ((entry = g_dir_read_name(dir))) {
        const char *dot = strrchr(entry, '.');
        if (!dot || strcmp(dot, ".xml") == 0)
            continue;
        g_autofree char *stem = g_strndup(entry, dot - entry);
        g_autofree char *xml = g_strconcat(data, "/", stem, ".xml", NULL);
        if (!g_file_test(xml, G_FILE_TEST_EXISTS)) {
            fprintf(stderr, "orphan expectation %s: no %s.xml\n", entry, stem);
            problems++;
        }
    }
    for (guint i = 0; i < cases->len; i++) {
        const GoldenCase *c = g_ptr_array_index(cases, i);
        g_autofree char *f = case_file(c, ".files");
        g_autofree char *e = case_file(c, ".err");
        gboolean has_f = g_file_test(f, G_FILE_TEST_EXISTS);
        gboolean has_e = g_file_test(e, G_FILE_TEST_EXISTS);
        if (has_f == has_e) {
            fprintf(stderr, "case %s must have exactly one of .files and .err\n", c->name);
            problems++;
        }
    }
    assert_int_equal(problems, 0);
}

static void
golden_case_free(gpointer p)
{
    GoldenCase *c = p;

    g_free(c->name);
    g_free(c->base);
    g_free(c);
}

static gint
compare_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int
main(void)
{
    aavm_test_init();
    g_autofree char *data = aavm_test_srcdir_path("data");
    g_autoptr(GDir) dir = g_dir_open(data, 0, NULL);
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func(golden_case_free);
    const char *entry;

    if (!dir) {
        fprintf(stderr, "no test data directory %s\n", data);
        return 99;
    }
    while ((entry = g_dir_read_name(dir)))
        if (g_str_has_suffix(entry, ".xml"))
            g_ptr_array_add(names, g_strndup(entry, strlen(entry) - 4));
    g_ptr_array_sort(names, compare_names);

    struct CMUnitTest *tests = g_new0(struct CMUnitTest, names->len + 1);
    tests[0] = (struct CMUnitTest){ .name = "expectations", .test_func = check_expectations,
                                    .initial_state = cases };
    for (guint i = 0; i < names->len; i++) {
        GoldenCase *c = g_new0(GoldenCase, 1);
        c->name = g_strdup(g_ptr_array_index(names, i));
        c->base = g_build_filename(data, c->name, NULL);
        g_ptr_array_add(cases, c);
        tests[i + 1] = (struct CMUnitTest){ .name = c->name, .test_func = run_case,
                                            .initial_state = c };
    }
    int failed = _cmocka_run_group_tests("golden", tests, names->len + 1, NULL, NULL);
    g_free(tests);
    return failed;
}
