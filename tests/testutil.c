/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "testutil.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <glib/gstdio.h>

#include "domain-parse.h"
#include "pipeline.h"
#include "rules.h"

void
aavm_test_init(void)
{
    g_setenv("HOME", "/nonexistent-home", TRUE);
    g_setenv("XDG_CONFIG_HOME", "/nonexistent-xdg", TRUE);
    g_setenv("XDG_DATA_HOME", "/nonexistent-xdg", TRUE);
    g_setenv("XDG_CACHE_HOME", "/nonexistent-xdg", TRUE);
    g_setenv("XDG_RUNTIME_DIR", "/nonexistent-xdg", TRUE);
    g_setenv("LC_ALL", "C", TRUE);
}

char *
aavm_test_srcdir_path(const char *rel)
{
    const char *srcdir = g_getenv("AAVM_TESTS_SRCDIR");

    return g_build_filename(srcdir ? srcdir : "tests", rel, NULL);
}

const char *
aavm_test_fakeroot_const(void)
{
    const char *root = g_getenv("AAVM_TESTS_FAKEROOT");

    if (!root || !g_file_test(root, G_FILE_TEST_IS_DIR)) {
        fprintf(stderr, "AAVM_TESTS_FAKEROOT is not set to the fake root that make check builds\n");
        abort();
    }
    return root;
}

char *
aavm_test_fakeroot(void)
{
    return g_strdup(aavm_test_fakeroot_const());
}

char *
aavm_test_read_file(const char *path)
{
    char *text = NULL;

    if (!g_file_get_contents(path, &text, NULL, NULL))
        return NULL;
    return text;
}

char *
aavm_test_make_tmpdir(void)
{
    g_autoptr(GError) error = NULL;
    char *dir = g_dir_make_tmp("aavm-test-XXXXXX", &error);

    if (!dir)
        g_error("cannot make a temporary directory: %s", error->message);
    return dir;
}

void
aavm_test_rm_rf(const char *dir)
{
    const char *argv[] = { "rm", "-rf", "--", dir, NULL };

    if (dir && *dir)
        g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                     NULL, NULL);
}

int
aavm_test_tmpdir_setup(void **state)
{
    *state = aavm_test_make_tmpdir();
    return *state ? 0 : -1;
}

int
aavm_test_tmpdir_teardown(void **state)
{
    aavm_test_rm_rf(*state);
    g_free(*state);
    return 0;
}

AavmConfig *
aavm_test_config(void)
{
    AavmConfig *config = aavm_config_new_default();

    g_free(config->profile_dir);
    config->profile_dir = g_strdup("/etc/apparmor.d/libvirt");
    g_free(config->parser);
    config->parser = g_strdup("/sbin/apparmor_parser");
    g_free(config->libvirt_log_dir);
    config->libvirt_log_dir = g_strdup("/var/log/libvirt");
    g_free(config->libvirt_lib_dir);
    config->libvirt_lib_dir = g_strdup("/var/lib/libvirt");
    g_free(config->libvirt_run_dir);
    config->libvirt_run_dir = g_strdup("/run/libvirt");
    g_free(config->swtpm_log_dir);
    config->swtpm_log_dir = g_strdup("/var/log/swtpm/libvirt/qemu");
    return config;
}

char *
aavm_test_domain_xml(const char *type, const char *os, const char *domain_level,
                     const char *devices)
{
    return g_strdup_printf("<domain type='%s' id='7'>\n"
                           "  <name>vm1</name>\n"
                           "  <uuid>" AAVM_TEST_UUID "</uuid>\n"
                           "  <os><type>%s</type>%s</os>\n"
                           "%s\n"
                           "  <devices>%s</devices>\n"
                           "</domain>\n",
                           type, g_strcmp0(type, "lxc") == 0 ? "exe" : "hvm", os ? os : "",
                           domain_level ? domain_level : "", devices ? devices : "");
}

AavmAccessList *
aavm_test_build(const AavmHost *host, const AavmConfig *config, const char *xml,
                GError **error)
{
    g_auto(AavmPipeline) p = { 0 };

    if (!aavm_pipeline_run(config, host, xml, strlen(xml), NULL, &p, error))
        return NULL;
    return g_steal_pointer(&p.list);
}

AavmHost *
aavm_test_fakeroot_host(void)
{
    g_autoptr(GError) error = NULL;
    AavmHost *host = aavm_host_new(aavm_test_fakeroot_const(), &error);

    if (!host) {
        fprintf(stderr, "cannot use the fake root: %s\n", error->message);
        abort();
    }
    return host;
}

gboolean
aavm_test_has_rule(const AavmAccessList *list, const char *path, AavmMatch match,
                   const char *perms)
{
    const AavmAccess *access = aavm_access_list_lookup(list, path, match);

    return access && g_strcmp0(aavm_perm_to_string(access->perms), perms) == 0;
}

gboolean
aavm_test_compare_with_file(const char *expected_path, const char *actual)
{
    g_autofree char *expected = aavm_test_read_file(expected_path);

    if (g_strcmp0(g_getenv("AAVM_TEST_REGENERATE"), "1") == 0) {
        if (g_strcmp0(expected, actual) != 0 &&
            !g_file_set_contents(expected_path, actual, -1, NULL)) {
            fprintf(stderr, "cannot regenerate %s\n", expected_path);
            return FALSE;
        }
        return TRUE;
    }
    if (g_strcmp0(expected, actual) == 0)
        return TRUE;

    g_autofree char *dir = aavm_test_make_tmpdir();
    g_autofree char *actual_path = g_build_filename(dir, "actual", NULL);
    g_file_set_contents(actual_path, actual ? actual : "", -1, NULL);
    const char *argv[] = { "diff", "-u", expected_path, actual_path, NULL };
    g_autofree char *out = NULL;
    g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL, NULL,
                 NULL);
    fprintf(stderr, "%s differs from the output:\n%s\n", expected_path,
            out ? out : "(diff failed)");
    aavm_test_rm_rf(dir);
    return FALSE;
}

const char *
aavm_test_parser(void)
{
    const char *parser = g_getenv("APPARMOR_PARSER");

    if (parser && g_file_test(parser, G_FILE_TEST_IS_EXECUTABLE))
        return parser;
    if (g_strcmp0(g_getenv("AAVM_REQUIRE_PARSER"), "1") == 0) {
        fprintf(stderr, "apparmor_parser '%s' is required but missing\n",
                parser ? parser : "(unset)");
        abort();
    }
    return NULL;
}

gboolean
aavm_test_compile_profile(const char *profile_path, char **out_output)
{
    const char *parser = aavm_test_parser();
    g_autofree char *profiles = aavm_test_srcdir_path("../profiles");
    g_autofree char *include = g_strconcat("-I", profiles, NULL);
    const char *argv[] = {
        parser, "-Q", "-K", "-M", "/etc/apparmor.d/abi/3.0", include,
        "-b", "/etc/apparmor.d", profile_path, NULL,
    };
    g_autofree char *out = NULL;
    int status = 0;

    if (!parser)
        return TRUE;
    if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                      &out, &status, NULL))
        status = -1;
    if (status != 0 && out_output)
        *out_output = g_steal_pointer(&out);
    return status == 0;
}

int
aavm_test_fixture_setup(void **state)
{
    g_autoptr(GError) error = NULL;
    AavmTestFixture *fx = g_new0(AavmTestFixture, 1);

    fx->host = aavm_host_new(aavm_test_fakeroot_const(), &error);
    if (!fx->host) {
        print_error("cannot use the fake root %s: %s\n", aavm_test_fakeroot_const(),
                    error->message);
        g_free(fx);
        return -1;
    }
    fx->config = aavm_test_config();
    *state = fx;
    return 0;
}

int
aavm_test_fixture_teardown(void **state)
{
    AavmTestFixture *fx = *state;

    aavm_host_free(fx->host);
    aavm_config_free(fx->config);
    g_free(fx);
    return 0;
}

AavmDomain *
aavm_test_parse(const char *type, const char *os, const char *level, const char *devices)
{
    g_autofree char *xml = aavm_test_domain_xml(type, os, level, devices);
    g_autoptr(GError) error = NULL;
    AavmDomain *domain = aavm_domain_parse_string(xml, strlen(xml), &error);

    if (!domain || error)
        fail_msg("cannot parse %s: %s", xml, error ? error->message : "(no error)");
    return domain;
}

/* aavm_test_build() on @fx's host with its settings (NULL: the defaults). */
static AavmAccessList *
build_on(const AavmTestFixture *fx, const char *xml, GError **error)
{
    g_autoptr(AavmHost) fake = fx && fx->host ? NULL : aavm_test_fakeroot_host();
    g_autoptr(AavmConfig) settings = fx && fx->config ? NULL : aavm_test_config();

    return aavm_test_build(fake ? fake : fx->host, settings ? settings : fx->config, xml, error);
}

AavmAccessList *
aavm_test_build_xml_ok(const AavmTestFixture *fx, const char *xml)
{
    g_autoptr(GError) error = NULL;
    AavmAccessList *list = build_on(fx, xml, &error);

    if (!list || error)
        fail_msg("cannot build %s: %s", xml, error ? error->message : "(no error)");
    return list;
}

AavmAccessList *
aavm_test_build_ok(const AavmTestFixture *fx, const char *type, const char *os,
                   const char *level, const char *devices)
{
    g_autofree char *xml = aavm_test_domain_xml(type, os, level, devices);

    return aavm_test_build_xml_ok(fx, xml);
}

GError *
aavm_test_build_error(const AavmTestFixture *fx, const char *xml)
{
    GError *error = NULL;
    g_autoptr(AavmAccessList) list = build_on(fx, xml, &error);

    if (list)
        fail_msg("built %s, expected a failure", xml);
    assert_non_null(error);
    return error;
}

void
aavm_test_assert_refused_xml(const AavmTestFixture *fx, const char *xml, AavmError code,
                             const char *part)
{
    g_autoptr(GError) error = aavm_test_build_error(fx, xml);

    if (!g_error_matches(error, AAVM_ERROR, code))
        fail_msg("expected %s, got %s", aavm_error_code_to_string(code), error->message);
    if (part && !strstr(error->message, part))
        fail_msg("'%s' is not in '%s'", part, error->message);
}

void
aavm_test_assert_refused(const AavmTestFixture *fx, const char *type, const char *os,
                         const char *level, const char *devices, AavmError code,
                         const char *part)
{
    g_autofree char *xml = aavm_test_domain_xml(type, os, level, devices);

    aavm_test_assert_refused_xml(fx, xml, code, part);
}

gboolean
aavm_test_has_warning(const GPtrArray *warnings, const char *part)
{
    return aavm_test_has_warning_all(warnings, part, NULL);
}

gboolean
aavm_test_has_warning_all(const GPtrArray *warnings, const char *first, ...)
{
    for (guint i = 0; i < warnings->len; i++) {
        const char *warning = g_ptr_array_index(warnings, i);
        gboolean all = TRUE;
        va_list args;

        va_start(args, first);
        for (const char *part = first; part && all; part = va_arg(args, const char *))
            all = strstr(warning, part) != NULL;
        va_end(args);
        if (all)
            return TRUE;
    }
    return FALSE;
}

gboolean
aavm_test_has_path_part(const AavmAccessList *list, const char *part)
{
    for (guint i = 0; i < aavm_access_list_length(list); i++)
        if (strstr(aavm_access_list_get(list, i)->path, part))
            return TRUE;
    return FALSE;
}

guint
aavm_test_count_match(const AavmAccessList *list, AavmMatch match)
{
    guint n = 0;

    for (guint i = 0; i < aavm_access_list_length(list); i++)
        if (aavm_access_list_get(list, i)->match == match)
            n++;
    return n;
}

guint
aavm_test_count_paths(const AavmAccessList *list)
{
    return aavm_access_list_length(list) - aavm_test_count_match(list, AAVM_MATCH_PATTERN);
}

void
aavm_test_assert_entry(const AavmAccessList *list, const char *path, AavmMatch match,
                       const char *perms, const char *reason)
{
    const AavmAccess *access = aavm_access_list_lookup(list, path, match);

    if (!access)
        print_error("no %s entry for '%s'\n", aavm_match_to_string(match), path);
    assert_non_null(access);
    assert_string_equal(aavm_perm_to_string(access->perms), perms);
    assert_string_equal(access->reason, reason);
}

gpointer
aavm_test_item(const GPtrArray *array, guint i)
{
    assert_non_null(array);
    assert_true(i < array->len);
    return g_ptr_array_index(array, i);
}

char **
aavm_test_hostile_doctypes(const char *root)
{
    char **out = g_new0(char *, 4);

    out[0] = g_strdup_printf("<!DOCTYPE %s [ <!ENTITY n 'injected'> ]>\n", root);
    out[1] = g_strdup_printf("<!DOCTYPE %s [ <!ENTITY n SYSTEM 'file:///etc/hostname'> ]>\n", root);
    out[2] = g_strdup_printf("<!DOCTYPE %s [\n <!ENTITY a 'injected'>\n"
                             " <!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'>\n"
                             " <!ENTITY c '&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;'>\n"
                             " <!ENTITY d '&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;'>\n"
                             " <!ENTITY e '&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;'>\n"
                             " <!ENTITY n '&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;'>\n]>\n", root);
    return out;
}
