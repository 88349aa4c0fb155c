/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-aavm-config.c: settings and the paths joined from them
 * (helper/base/aavm-config.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <glib.h>

#include "aavm-config.h"
#include "aavm-error.h"
#include "testutil.h"

#define NAME "libvirt-0f6a4d2c-3b1e-4c5d-9e8f-123456789abc"

static void
test_aavm_config_defaults_absolute(void **state)
{
    (void)state;
    g_autoptr(AavmConfig) config = aavm_config_new_default();
    const char *const fields[] = {
        config->profile_dir, config->parser, config->libvirt_log_dir,
        config->libvirt_lib_dir, config->libvirt_run_dir,
    };

    for (guint i = 0; i < G_N_ELEMENTS(fields); i++) {
        assert_non_null(fields[i]);
        assert_true(g_path_is_absolute(fields[i]));
        /* Usable in a quoted rule and joined without a double slash. */
        assert_null(strchr(fields[i], '"'));
        assert_null(strchr(fields[i], '\n'));
        assert_true(strlen(fields[i]) == 1 || !g_str_has_suffix(fields[i], "/"));
    }
}

static void
test_aavm_config_set_accepts_absolute(void **state)
{
    (void)state;
    g_autoptr(AavmConfig) config = aavm_config_new_default();
    g_autoptr(GError) error = NULL;

    assert_true(aavm_config_set(&config->profile_dir, "/srv/apparmor profiles/\xc3\xa4",
                                "profile directory", &error));
    assert_null(error);
    assert_string_equal(config->profile_dir, "/srv/apparmor profiles/\xc3\xa4");
    assert_true(aavm_config_set(&config->parser, "/opt/bin/apparmor_parser", "parser", &error));
    assert_string_equal(config->parser, "/opt/bin/apparmor_parser");
}

static void
test_aavm_config_set_refuses_relative(void **state)
{
    (void)state;
    g_autoptr(AavmConfig) config = aavm_config_new_default();
    g_autofree char *before = g_strdup(config->profile_dir);
    static const char *const values[] = { "relative/dir", "", "./x", "~/x" };

    for (guint i = 0; i < G_N_ELEMENTS(values); i++) {
        g_autoptr(GError) error = NULL;

        assert_false(aavm_config_set(&config->profile_dir, values[i], "profile directory",
                                     &error));
        assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_INVALID_ARGUMENT));
        assert_string_equal(config->profile_dir, before);
    }

    g_autoptr(GError) null_error = NULL;
    assert_false(aavm_config_set(&config->profile_dir, NULL, "profile directory", &null_error));
    assert_true(g_error_matches(null_error, AAVM_ERROR, AAVM_ERROR_INVALID_ARGUMENT));
    assert_string_equal(config->profile_dir, before);
}

static void
test_aavm_config_set_refuses_unquotable(void **state)
{
    (void)state;
    g_autoptr(AavmConfig) config = aavm_config_new_default();
    g_autofree char *before = g_strdup(config->libvirt_log_dir);
    static const char *const values[] = {
        "/var/log/\"libvirt", "/var/log/libvirt\n  \"/etc/shadow\" rw,", "/var/log/a\tb",
        "/var/log/\x7f", "/var/log/\xff\xfe",
    };

    for (guint i = 0; i < G_N_ELEMENTS(values); i++) {
        g_autoptr(GError) error = NULL;

        assert_false(aavm_config_set(&config->libvirt_log_dir, values[i], "log directory",
                                     &error));
        assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_UNSAFE_PATH));
        assert_string_equal(config->libvirt_log_dir, before);
    }
}

static void
test_aavm_config_set_strips_trailing_slashes(void **state)
{
    (void)state;
    g_autoptr(AavmConfig) config = aavm_config_new_default();
    static const struct {
        const char *in;
        const char *out;
    } cases[] = {
        { "/etc/apparmor.d/libvirt/", "/etc/apparmor.d/libvirt" },
        { "/etc/apparmor.d/libvirt///", "/etc/apparmor.d/libvirt" },
        { "/etc/apparmor.d/libvirt", "/etc/apparmor.d/libvirt" },
        { "/", "/" },
        { "///", "/" },
    };

    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(GError) error = NULL;

        assert_true(aavm_config_set(&config->profile_dir, cases[i].in, "profile directory",
                                    &error));
        assert_null(error);
        assert_string_equal(config->profile_dir, cases[i].out);
    }
}

static void
test_aavm_config_path_joins(void **state)
{
    (void)state;
    g_autoptr(AavmConfig) config = aavm_test_config();
    g_autoptr(GError) error = NULL;

    g_autofree char *profile = aavm_config_profile_path(config, NAME);
    g_autofree char *files = aavm_config_files_path(config, NAME);
    g_autofree char *qemu = aavm_config_template_path(config, "qemu");
    g_autofree char *lxc = aavm_config_template_path(config, "lxc");

    assert_string_equal(profile, "/etc/apparmor.d/libvirt/" NAME);
    assert_string_equal(files, "/etc/apparmor.d/libvirt/" NAME ".files");
    assert_string_equal(qemu, "/etc/apparmor.d/libvirt/TEMPLATE.qemu");
    assert_string_equal(lxc, "/etc/apparmor.d/libvirt/TEMPLATE.lxc");

    assert_true(aavm_config_set(&config->profile_dir, "/srv/profiles//", "profile directory",
                                &error));
    g_autofree char *profile2 = aavm_config_profile_path(config, NAME);
    g_autofree char *files2 = aavm_config_files_path(config, NAME);
    g_autofree char *template2 = aavm_config_template_path(config, "xen");

    assert_string_equal(profile2, "/srv/profiles/" NAME);
    assert_string_equal(files2, "/srv/profiles/" NAME ".files");
    assert_string_equal(template2, "/srv/profiles/TEMPLATE.xen");

    assert_true(aavm_config_set(&config->profile_dir, "/", "profile directory", &error));
    g_autofree char *profile3 = aavm_config_profile_path(config, NAME);
    assert_string_equal(profile3, "/" NAME);
}

static void
test_aavm_config_lock_path_and_dirs(void **state)
{
    (void)state;
    g_autoptr(AavmConfig) config = aavm_config_new_default();
    g_autoptr(GError) error = NULL;

    assert_true(aavm_config_set_dirs(config, "/srv/profiles/", NULL, "/srv/cache", NULL));
    assert_string_equal(config->profile_dir, "/srv/profiles");
    assert_string_equal(config->cache_dir, "/srv/cache");
    /* The locks are not in the profile directory: the runtime one. */
    assert_string_equal(config->lock_dir, AAVM_LOCK_DIR);
    assert_false(g_str_has_prefix(config->lock_dir, config->profile_dir));
    g_autofree char *parser = g_strdup(config->parser);
    assert_false(aavm_config_set_dirs(config, NULL, "relative/parser", NULL, &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_INVALID_ARGUMENT));
    assert_string_equal(config->parser, parser);
}

static void
test_aavm_config_domain_xml_dirs(void **state)
{
    (void)state;
    g_autoptr(AavmConfig) config = aavm_config_new_default();
    g_autoptr(GError) error = NULL;

    assert_true(aavm_config_set(&config->libvirt_run_dir, "/srv/run/", "run", &error));
    assert_true(aavm_config_set(&config->libvirt_config_dir, "/srv/etc", "config", &error));
    g_auto(GStrv) dirs = aavm_config_domain_xml_dirs(config);
    /* Running domains before defined ones, qemu before lxc. */
    const char *const want[] = { "/srv/run/qemu", "/srv/run/lxc", "/srv/etc/qemu", "/srv/etc/lxc",
                                 NULL };
    assert_int_equal(g_strv_length(dirs), 4);
    for (guint i = 0; want[i]; i++)
        assert_string_equal(dirs[i], want[i]);
}

int
main(void)
{
    aavm_test_init();

    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_aavm_config_domain_xml_dirs),
        cmocka_unit_test(test_aavm_config_defaults_absolute),
        cmocka_unit_test(test_aavm_config_set_accepts_absolute),
        cmocka_unit_test(test_aavm_config_set_refuses_relative),
        cmocka_unit_test(test_aavm_config_set_refuses_unquotable),
        cmocka_unit_test(test_aavm_config_set_strips_trailing_slashes),
        cmocka_unit_test(test_aavm_config_path_joins),
        cmocka_unit_test(test_aavm_config_lock_path_and_dirs),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
