/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-profile-flags.c: reading and changing the mode flags of a per-VM
 * profile's text (helper/render/profile-flags.h), and switching a profile file. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>
#include <sys/stat.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "aavm-config.h"
#include "aavm-error.h"
#include "profile-flags.h"
#include "testutil.h"

#define NAME "libvirt-00000000-0000-4000-8000-000000000001"

/* The template's shape, with an admin's comments and rules around. */
#define HEAD "# admin: keep this comment\nabi <abi/3.0>,\n\ninclude <tunables/global>\n\n"
#define BODY "  include <abstractions/libvirt-qemu>\n" \
    "  # profile " NAME " flags=(kill) {  (a comment, not the header)\n" \
    "  /srv/admin/** rw,  # an admin rule, flags=(complain)\n" \
    "  include if exists \"/etc/apparmor.d/libvirt/" NAME ".files\"\n}\n"

static char *
profile_with(const char *header_line)
{
    return g_strconcat(HEAD, header_line, "\n", BODY, NULL);
}

/* set_mode(@from, @mode) must give @to, and a second call must change nothing. */
static void
assert_switch(const char *from_line, AavmProfileMode mode, const char *to_line)
{
    g_autofree char *from = profile_with(from_line);
    g_autofree char *expected = profile_with(to_line);
    g_autoptr(GError) error = NULL;
    gboolean changed = FALSE;
    g_autofree char *out = aavm_profile_flags_set_mode(from, NAME, mode, &changed, &error);

    if (!out)
        fail_msg("'%s': %s", from_line, error->message);
    assert_string_equal(out, expected);
    assert_int_equal(changed, strcmp(from_line, to_line) != 0);

    gboolean again = TRUE;
    g_autofree char *twice = aavm_profile_flags_set_mode(out, NAME, mode, &again, &error);
    assert_non_null(twice);
    assert_false(again);
    assert_string_equal(twice, out);

    AavmProfileMode got = AAVM_PROFILE_MODE_LAST;
    assert_true(aavm_profile_flags_mode(out, NAME, &got, &error));
    assert_int_equal(got, mode);
}

static void
test_profile_flags_complain_template(void **state)
{
    assert_switch("profile " NAME " flags=(attach_disconnected) {", AAVM_PROFILE_MODE_COMPLAIN,
                  "profile " NAME " flags=(attach_disconnected,complain) {");
    assert_switch("profile " NAME " flags=(attach_disconnected,complain) {",
                  AAVM_PROFILE_MODE_ENFORCE, "profile " NAME " flags=(attach_disconnected) {");
}

/* complain then enforce gives back the very bytes, whatever the layout. */
static void
test_profile_flags_round_trip(void **state)
{
    static const char *const lines[] = {
        "profile " NAME " flags=(attach_disconnected) {",
        "profile " NAME " {",
        "profile " NAME "{",
        "  profile " NAME " flags=( attach_disconnected, mediate_deleted ) {",
        "profile " NAME " flags=(attach_disconnected mediate_deleted) {",
        "profile " NAME " (attach_disconnected) {",
        "profile " NAME " /usr/bin/qemu-system-* flags=(attach_disconnected) {",
        "profile " NAME " \"/opt/my qemu/{a,b}\" xattrs=(user.x=1) flags=(chroot_relative) {",
        "\tprofile\t" NAME "\tflags=(attach_disconnected)\t{",
    };

    for (guint i = 0; i < G_N_ELEMENTS(lines); i++) {
        g_autofree char *text = profile_with(lines[i]);
        g_autoptr(GError) error = NULL;
        gboolean changed = FALSE;
        g_autofree char *complain = aavm_profile_flags_set_mode(text, NAME, AAVM_PROFILE_MODE_COMPLAIN,
                                                                &changed, &error);
        if (!complain)
            fail_msg("'%s': %s", lines[i], error->message);
        assert_true(changed);
        g_auto(GStrv) flags = aavm_profile_flags_get(complain, NAME, &error);
        assert_non_null(flags);
        assert_true(g_strv_contains((const char *const *)flags, "complain"));
        g_autofree char *back = aavm_profile_flags_set_mode(complain, NAME, AAVM_PROFILE_MODE_ENFORCE,
                                                            &changed, &error);
        assert_non_null(back);
        assert_true(changed);
        if (strcmp(back, text) != 0)
            fail_msg("round trip of '%s' gave:\n%s", lines[i], back);
    }
}

static void
test_profile_flags_without_clause(void **state)
{
    assert_switch("profile " NAME " {", AAVM_PROFILE_MODE_COMPLAIN,
                  "profile " NAME " flags=(complain) {");
    assert_switch("profile " NAME " flags=(complain) {", AAVM_PROFILE_MODE_ENFORCE,
                  "profile " NAME " {");
    assert_switch("profile " NAME " {", AAVM_PROFILE_MODE_ENFORCE, "profile " NAME " {");
    assert_switch("profile " NAME " /usr/bin/qemu {", AAVM_PROFILE_MODE_COMPLAIN,
                  "profile " NAME " /usr/bin/qemu flags=(complain) {");
}

/* Other flags are kept in order with their separator. */
static void
test_profile_flags_other_flags_kept(void **state)
{
    assert_switch("profile " NAME " flags=(attach_disconnected, mediate_deleted) {",
                  AAVM_PROFILE_MODE_COMPLAIN,
                  "profile " NAME " flags=(attach_disconnected, mediate_deleted, complain) {");
    assert_switch("profile " NAME " flags=(complain, attach_disconnected) {",
                  AAVM_PROFILE_MODE_ENFORCE, "profile " NAME " flags=(attach_disconnected) {");
    assert_switch("profile " NAME " flags=(a,complain,b) {", AAVM_PROFILE_MODE_ENFORCE,
                  "profile " NAME " flags=(a,b) {");
    assert_switch("profile " NAME " flags=(complain,a,complain) {", AAVM_PROFILE_MODE_ENFORCE,
                  "profile " NAME " flags=(a) {");
    /* An explicit enforce gives way to complain, and counts as enforce. */
    assert_switch("profile " NAME " flags=(enforce,attach_disconnected) {",
                  AAVM_PROFILE_MODE_COMPLAIN,
                  "profile " NAME " flags=(attach_disconnected,complain) {");
    assert_switch("profile " NAME " flags=(enforce) {", AAVM_PROFILE_MODE_ENFORCE,
                  "profile " NAME " flags=(enforce) {");
    assert_switch("profile " NAME " (attach_disconnected) {", AAVM_PROFILE_MODE_COMPLAIN,
                  "profile " NAME " (attach_disconnected,complain) {");
}

static void
test_profile_flags_get_and_mode(void **state)
{
    g_autofree char *text = profile_with("profile " NAME " flags=(attach_disconnected, kill) {");
    g_autofree char *plain = profile_with("profile " NAME " {");
    g_autoptr(GError) error = NULL;
    g_auto(GStrv) flags = aavm_profile_flags_get(text, NAME, &error);
    g_auto(GStrv) none = aavm_profile_flags_get(plain, NAME, &error);
    AavmProfileMode mode = AAVM_PROFILE_MODE_LAST;

    assert_non_null(flags);
    assert_int_equal(g_strv_length(flags), 2);
    assert_string_equal(flags[0], "attach_disconnected");
    assert_string_equal(flags[1], "kill");
    assert_int_equal(g_strv_length(none), 0);
    assert_true(aavm_profile_flags_mode(text, NAME, &mode, &error));
    assert_int_equal(mode, AAVM_PROFILE_MODE_KILL);
    assert_true(aavm_profile_flags_mode(plain, NAME, &mode, &error));
    assert_int_equal(mode, AAVM_PROFILE_MODE_ENFORCE);
    assert_string_equal(aavm_profile_mode_to_string(AAVM_PROFILE_MODE_COMPLAIN), "complain");
    assert_string_equal(aavm_profile_mode_to_string(AAVM_PROFILE_MODE_LAST), "unknown");
}

static void
assert_refused(const char *text, AavmProfileMode mode, const char *part)
{
    g_autoptr(GError) error = NULL;
    gboolean changed = TRUE;

    assert_null(aavm_profile_flags_set_mode(text, NAME, mode, &changed, &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_UNSUPPORTED));
    if (!strstr(error->message, part))
        fail_msg("'%s' lacks '%s'", error->message, part);
    assert_false(changed);
}

static void
test_profile_flags_refused(void **state)
{
    g_autofree char *kill = profile_with("profile " NAME " flags=(kill) {");
    g_autofree char *unconfined = profile_with("profile " NAME " flags=(unconfined) {");
    g_autofree char *two = g_strconcat(HEAD, "profile " NAME " {\n}\nprofile " NAME " {\n}\n", NULL);
    g_autofree char *other = profile_with("profile libvirt-00000000-0000-4000-8000-000000000002 {");
    g_autofree char *longer = profile_with("profile " NAME "x {");
    g_autofree char *split = profile_with("profile " NAME "\n  flags=(complain) {");
    g_autofree char *unclosed = profile_with("profile " NAME " flags=(complain {");
    g_autofree char *twice = profile_with("profile " NAME " flags=(a) (b) {");

    assert_refused(kill, AAVM_PROFILE_MODE_COMPLAIN, "'kill'");
    assert_refused(kill, AAVM_PROFILE_MODE_ENFORCE, "'kill'");
    assert_refused(unconfined, AAVM_PROFILE_MODE_COMPLAIN, "'unconfined'");
    assert_refused(two, AAVM_PROFILE_MODE_COMPLAIN, "more than one line");
    assert_refused(other, AAVM_PROFILE_MODE_COMPLAIN, "has no line");
    assert_refused(longer, AAVM_PROFILE_MODE_COMPLAIN, "has no line");
    assert_refused(split, AAVM_PROFILE_MODE_COMPLAIN, "one-line header");
    assert_refused(unclosed, AAVM_PROFILE_MODE_COMPLAIN, "without its ')'");
    assert_refused(twice, AAVM_PROFILE_MODE_COMPLAIN, "more than one flags clause");
}

/* ---- the file operation, with a stand-in parser ---- */

typedef struct {
    char *dir;
    AavmConfig *config;
    char *log;
    char *path;
} Fixture;

static int
setup_files(void **state)
{
    Fixture *fx = g_new0(Fixture, 1);

    fx->dir = aavm_test_make_tmpdir();
    fx->config = aavm_test_config();
    fx->log = g_build_filename(fx->dir, "parser.log", NULL);
    g_free(fx->config->profile_dir);
    fx->config->profile_dir = g_strdup(fx->dir);
    g_free(fx->config->cache_dir);
    fx->config->cache_dir = g_build_filename(fx->dir, "cache", NULL);
    g_free(fx->config->lock_dir);
    fx->config->lock_dir = g_build_filename(fx->dir, "lock", NULL);
    fx->path = g_build_filename(fx->dir, NAME, NULL);
    *state = fx;
    return 0;
}

static int
teardown_files(void **state)
{
    Fixture *fx = *state;

    aavm_test_rm_rf(fx->dir);
    g_free(fx->dir);
    g_free(fx->log);
    g_free(fx->path);
    aavm_config_free(fx->config);
    g_free(fx);
    return 0;
}

/* A parser stand-in that logs its arguments and exits with @status. */
static void
use_stub(Fixture *fx, int status)
{
    g_autofree char *stub = g_build_filename(fx->dir, "parser", NULL);
    g_autofree char *script = g_strdup_printf("#!/bin/sh\necho \"$*\" >> '%s'\nexit %d\n",
                                              fx->log, status);

    assert_true(g_file_set_contents(stub, script, -1, NULL));
    assert_int_equal(g_chmod(stub, 0755), 0);
    g_free(fx->config->parser);
    fx->config->parser = g_steal_pointer(&stub);
}

static void
test_profile_flags_switch_file(void **state)
{
    Fixture *fx = *state;
    g_autofree char *text = profile_with("profile " NAME " flags=(attach_disconnected) {");
    g_autofree char *want = profile_with("profile " NAME " flags=(attach_disconnected,complain) {");
    g_autoptr(GError) error = NULL;
    gboolean changed = FALSE;

    use_stub(fx, 0);
    assert_true(g_file_set_contents(fx->path, text, -1, NULL));
    assert_true(aavm_profile_flags_switch(fx->config, NAME, AAVM_PROFILE_MODE_COMPLAIN, TRUE,
                                          &changed, &error));
    assert_true(changed);
    g_autofree char *now = aavm_test_read_file(fx->path);
    assert_string_equal(now, want);
    g_autofree char *log = aavm_test_read_file(fx->log);
    g_autofree char *expected_log = g_strdup_printf("-r -W -L %s %s\n", fx->config->cache_dir,
                                                    fx->path);
    assert_string_equal(log, expected_log);
    struct stat st;
    assert_int_equal(stat(fx->path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0644);

    /* Already in complain mode: nothing written, nothing run. */
    assert_true(aavm_profile_flags_switch(fx->config, NAME, AAVM_PROFILE_MODE_COMPLAIN, TRUE,
                                          &changed, &error));
    assert_false(changed);
    g_autofree char *log2 = aavm_test_read_file(fx->log);
    assert_string_equal(log2, expected_log);

    /* Without reloading: the file changes, the parser does not run. */
    assert_true(aavm_profile_flags_switch(fx->config, NAME, AAVM_PROFILE_MODE_ENFORCE, FALSE,
                                          &changed, &error));
    assert_true(changed);
    g_autofree char *back = aavm_test_read_file(fx->path);
    assert_string_equal(back, text);
    g_autofree char *log3 = aavm_test_read_file(fx->log);
    assert_string_equal(log3, expected_log);
}

/* The parser fails: the old text is put back and the error says so. */
static void
test_profile_flags_switch_parser_fails(void **state)
{
    Fixture *fx = *state;
    g_autofree char *text = profile_with("profile " NAME " flags=(attach_disconnected) {");
    g_autoptr(GError) error = NULL;
    gboolean changed = TRUE;

    use_stub(fx, 1);
    assert_true(g_file_set_contents(fx->path, text, -1, NULL));
    assert_false(aavm_profile_flags_switch(fx->config, NAME, AAVM_PROFILE_MODE_COMPLAIN, TRUE,
                                           &changed, &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_PARSER_FAILED));
    assert_false(changed);
    g_autofree char *now = aavm_test_read_file(fx->path);
    assert_string_equal(now, text);
}

static void
test_profile_flags_switch_refused(void **state)
{
    Fixture *fx = *state;
    g_autoptr(GError) missing = NULL;
    g_autoptr(GError) bad_name = NULL;
    g_autoptr(GError) empty = NULL;
    g_autoptr(GError) kill = NULL;
    g_autofree char *kill_text = profile_with("profile " NAME " flags=(kill) {");
    gboolean changed = TRUE;

    use_stub(fx, 0);
    assert_false(aavm_profile_flags_switch(fx->config, NAME, AAVM_PROFILE_MODE_COMPLAIN, TRUE,
                                           &changed, &missing));
    assert_true(g_error_matches(missing, AAVM_ERROR, AAVM_ERROR_NO_PROFILE));
    assert_false(aavm_profile_flags_switch(fx->config, "libvirt-123", AAVM_PROFILE_MODE_COMPLAIN,
                                           TRUE, &changed, &bad_name));
    assert_true(g_error_matches(bad_name, AAVM_ERROR, AAVM_ERROR_BAD_UUID));
    assert_true(g_file_set_contents(fx->path, "", 0, NULL));
    assert_false(aavm_profile_flags_switch(fx->config, NAME, AAVM_PROFILE_MODE_COMPLAIN, TRUE,
                                           &changed, &empty));
    assert_true(g_error_matches(empty, AAVM_ERROR, AAVM_ERROR_UNSUPPORTED));
    assert_true(g_file_set_contents(fx->path, kill_text, -1, NULL));
    assert_false(aavm_profile_flags_switch(fx->config, NAME, AAVM_PROFILE_MODE_COMPLAIN, TRUE,
                                           &changed, &kill));
    assert_true(g_error_matches(kill, AAVM_ERROR, AAVM_ERROR_UNSUPPORTED));
    g_autofree char *now = aavm_test_read_file(fx->path);
    assert_string_equal(now, kill_text);
    assert_null(aavm_test_read_file(fx->log));
    assert_false(changed);
}

int
main(void)
{
    aavm_test_init();

    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_profile_flags_complain_template),
        cmocka_unit_test(test_profile_flags_round_trip),
        cmocka_unit_test(test_profile_flags_without_clause),
        cmocka_unit_test(test_profile_flags_other_flags_kept),
        cmocka_unit_test(test_profile_flags_get_and_mode),
        cmocka_unit_test(test_profile_flags_refused),
        cmocka_unit_test_setup_teardown(test_profile_flags_switch_file, setup_files,
                                        teardown_files),
        cmocka_unit_test_setup_teardown(test_profile_flags_switch_parser_fails, setup_files,
                                        teardown_files),
        cmocka_unit_test_setup_teardown(test_profile_flags_switch_refused, setup_files,
                                        teardown_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
