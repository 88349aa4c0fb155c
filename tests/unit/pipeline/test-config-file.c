/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-config-file.c: aavm.conf (helper/pipeline/config-file.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "aavm-config.h"
#include "aavm-error.h"
#include "config-file.h"
#include "testutil.h"

static gboolean
load(AavmConfig *config, const char *text, GError **error)
{
    return aavm_config_file_load_data(config, text, strlen(text), "aavm.conf", error);
}

static void
assert_refused(const char *text, const char *fragment)
{
    g_autoptr(AavmConfig) config = aavm_config_new_default();
    g_autoptr(GError) error = NULL;

    assert_false(load(config, text, &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_INVALID_ARGUMENT));
    if (!strstr(error->message, fragment))
        print_error("'%s' not in '%s'\n", fragment, error->message);
    assert_non_null(strstr(error->message, fragment));
    assert_true(g_str_has_prefix(error->message, "aavm.conf: "));
}

static void
test_config_file_defaults(void **state)
{
    (void)state;
    g_autoptr(AavmConfig) config = aavm_config_new_default();
    g_autoptr(GError) error = NULL;

    assert_true(config->grant_passthrough);
    assert_int_equal(config->max_backing_depth, AAVM_DEFAULT_MAX_BACKING_DEPTH);
    assert_true(g_path_is_absolute(config->libvirt_config_dir));
    assert_null(config->profile_abi);
    /* An empty file and one of comments only change nothing. */
    assert_true(load(config, "", &error));
    assert_true(load(config, "# nothing\n[aavm]\n# passthrough-paths = false\n", &error));
    assert_null(error);
    assert_true(config->grant_passthrough);
    assert_int_equal(config->max_backing_depth, AAVM_DEFAULT_MAX_BACKING_DEPTH);
}

static void
test_config_file_all_keys(void **state)
{
    (void)state;
    g_autoptr(AavmConfig) config = aavm_config_new_default();
    g_autoptr(GError) error = NULL;

    assert_true(load(config,
                     "[aavm]\n"
                     "passthrough-paths = false\n"
                     "max-backing-depth = 7\n"
                     "libvirt-config-dir = /srv/libvirt/\n"
                     "profile-abi = 5.0\n", &error));
    assert_null(error);
    assert_string_equal(config->profile_abi, "5.0");
    assert_false(config->grant_passthrough);
    assert_int_equal(config->max_backing_depth, 7);
    assert_string_equal(config->libvirt_config_dir, "/srv/libvirt");
    assert_true(load(config, "[aavm]\npassthrough-paths=true\n", &error));
    assert_true(config->grant_passthrough);
}

static void
test_config_file_refused(void **state)
{
    (void)state;
    assert_refused("[aavm]\npassthrough-path = false\n", "Unknown setting 'passthrough-path'");
    assert_refused("[helper]\npassthrough-paths = false\n", "Unknown group '[helper]'");
    assert_refused("[aavm]\npassthrough-paths = maybe\n", "'passthrough-paths'");
    assert_refused("[aavm]\nmax-backing-depth = 0\n", "'max-backing-depth'");
    assert_refused("[aavm]\nmax-backing-depth = 10001\n", "'max-backing-depth'");
    assert_refused("[aavm]\nmax-backing-depth = 5x\n", "'max-backing-depth'");
    assert_refused("[aavm]\nlibvirt-config-dir = etc/libvirt\n", "'libvirt-config-dir'");
    assert_refused("[aavm]\nlibvirt-config-dir = /etc/lib\"virt\n", "'libvirt-config-dir'");
    assert_refused("[aavm]\nprofile-abi = abi/4.0\n", "'profile-abi'");
    assert_refused("[aavm]\nprofile-abi = 4\n", "'profile-abi'");
    assert_refused("[aavm]\nprofile-abi = 4.0>, file,\n", "'profile-abi'");
    assert_refused("[aavm]\nprofile-abi = ../4.0\n", "'profile-abi'");
    assert_refused("[aavm]\nprofile-abi =\n", "'profile-abi'");
    assert_refused("passthrough-paths = false\n", "aavm.conf: ");
    assert_refused("[aavm\n", "aavm.conf: ");
}

static void
test_config_file_missing(void **state)
{
    const char *dir = *state;
    g_autofree char *path = g_build_filename(dir, "absent.conf", NULL);
    g_autofree char *unreadable = g_build_filename(dir, "dir.conf", NULL);
    g_autofree char *good = g_build_filename(dir, "good.conf", NULL);
    g_autoptr(AavmConfig) config = aavm_config_new_default();
    g_autoptr(GError) error = NULL;

    /* The installed file may be missing; one named with --config may not. */
    assert_true(aavm_config_file_load(config, path, FALSE, &error));
    assert_null(error);
    assert_false(aavm_config_file_load(config, path, TRUE, &error));
    assert_non_null(error);
    g_clear_error(&error);
    assert_true(aavm_config_file_apply(config, path, &error) == FALSE);
    g_clear_error(&error);
    /* Present but not a readable file is an error even when optional. */
    assert_int_equal(g_mkdir(unreadable, 0700), 0);
    assert_false(aavm_config_file_load(config, unreadable, FALSE, &error));
    g_clear_error(&error);

    assert_true(g_file_set_contents(good, "[aavm]\npassthrough-paths = no\n", -1, NULL));
    assert_false(aavm_config_file_apply(config, good, &error)); /* "no" is not a GKeyFile boolean */
    g_clear_error(&error);
    assert_true(g_file_set_contents(good, "[aavm]\npassthrough-paths = false\n", -1, NULL));
    assert_true(aavm_config_file_apply(config, good, &error));
    assert_false(config->grant_passthrough);
}

int
main(void)
{
    aavm_test_init();

    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config_file_defaults),
        cmocka_unit_test(test_config_file_all_keys),
        cmocka_unit_test(test_config_file_refused),
        AAVM_TEST_TMPDIR_CASE(test_config_file_missing),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
