/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-loader.c: running apparmor_parser (helper/load/loader.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <glib.h>

#include "aavm-error.h"
#include "kernel-state.h"
#include "loader.h"
#include "testutil.h"

#define PARSER "/sbin/apparmor_parser"
#define PROFILE "/etc/apparmor.d/libvirt/libvirt-0f6a4d2c-3b1e-4c5d-9e8f-123456789abc"

/* Wait statuses as waitpid() reports them on Linux. */
static int
exited(int code)
{
    int status = (code & 0xff) << 8;

    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), code);
    return status;
}

static int
killed(int sig)
{
    int status = sig & 0x7f;

    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), sig);
    return status;
}

static void
test_loader_op_flags(void **state)
{
    (void)state;
    assert_string_equal(aavm_load_op_to_flag(AAVM_LOAD_ADD), "-a");
    assert_string_equal(aavm_load_op_to_flag(AAVM_LOAD_REPLACE), "-r");
    assert_string_equal(aavm_load_op_to_flag(AAVM_LOAD_REMOVE), "-R");
    assert_null(aavm_load_op_to_flag(AAVM_LOAD_LAST));
}

static void
test_loader_build_argv(void **state)
{
    (void)state;
    static const struct {
        AavmLoadOp op;
        const char *flag;
    } cases[] = {
        { AAVM_LOAD_ADD, "-a" },
        { AAVM_LOAD_REPLACE, "-r" },
        { AAVM_LOAD_REMOVE, "-R" },
    };

    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_auto(GStrv) argv = aavm_loader_build_argv(PARSER, cases[i].op, NULL, PROFILE);

        assert_int_equal(g_strv_length(argv), 3);
        assert_string_equal(argv[0], PARSER);
        assert_string_equal(argv[1], cases[i].flag);
        assert_string_equal(argv[2], PROFILE);
        assert_null(argv[3]);
    }

    /* A path with blanks and quotes stays one argument (no shell). */
    g_auto(GStrv) odd = aavm_loader_build_argv(PARSER, AAVM_LOAD_ADD, NULL, "/tmp/a b'\"; rm -rf /");
    assert_int_equal(g_strv_length(odd), 3);
    assert_string_equal(odd[2], "/tmp/a b'\"; rm -rf /");
}

static void
test_loader_decode_status_success(void **state)
{
    (void)state;
    for (AavmLoadOp op = AAVM_LOAD_ADD; op < AAVM_LOAD_LAST; op++) {
        g_autoptr(GError) error = NULL;
        gboolean not_loaded = TRUE;

        assert_true(aavm_loader_decode_status(op, exited(0), "", &not_loaded, &error));
        assert_null(error);
        assert_false(not_loaded);
    }
    /* NULL output and NULL out_not_loaded are allowed. */
    assert_true(aavm_loader_decode_status(AAVM_LOAD_ADD, exited(0), NULL, NULL, NULL));
}

static void
test_loader_decode_status_remove_not_loaded(void **state)
{
    (void)state;
    g_autoptr(GError) error = NULL;
    gboolean not_loaded = FALSE;

    assert_true(aavm_loader_decode_status(AAVM_LOAD_REMOVE,
                                          exited(AAVM_PARSER_STATUS_NOT_LOADED),
                                          "Profile doesn't exist\n", &not_loaded, &error));
    assert_null(error);
    assert_true(not_loaded);
    assert_int_equal(AAVM_PARSER_STATUS_NOT_LOADED, 234);
}

static void
test_loader_decode_status_234_on_add_or_replace_fails(void **state)
{
    (void)state;
    static const AavmLoadOp ops[] = { AAVM_LOAD_ADD, AAVM_LOAD_REPLACE };
    const char *output = "Warning: something harmless\n"
                         "AppArmor parser error for " PROFILE ": syntax error\n"
                         "  \n\n";

    for (guint i = 0; i < G_N_ELEMENTS(ops); i++) {
        g_autoptr(GError) error = NULL;
        gboolean not_loaded = TRUE;

        assert_false(aavm_loader_decode_status(ops[i], exited(234), output, &not_loaded, &error));
        assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_PARSER_FAILED));
        assert_false(not_loaded);
        assert_non_null(strstr(error->message,
                               "AppArmor parser error for " PROFILE ": syntax error"));
        assert_null(strstr(error->message, "something harmless"));
        assert_non_null(strstr(error->message, aavm_load_op_to_flag(ops[i])));
        assert_non_null(strstr(error->message, "234"));
    }
}

static void
test_loader_decode_status_other_exit_fails(void **state)
{
    (void)state;
    g_autoptr(GError) error = NULL;
    g_autoptr(GError) empty_error = NULL;
    gboolean not_loaded = TRUE;

    assert_false(aavm_loader_decode_status(AAVM_LOAD_REMOVE, exited(1), "cannot remove\n",
                                           &not_loaded, &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_PARSER_FAILED));
    assert_false(not_loaded);
    assert_non_null(strstr(error->message, "cannot remove"));

    assert_false(aavm_loader_decode_status(AAVM_LOAD_ADD, exited(1), "", NULL, &empty_error));
    assert_true(g_error_matches(empty_error, AAVM_ERROR, AAVM_ERROR_PARSER_FAILED));
}

static void
test_loader_decode_status_killed(void **state)
{
    (void)state;
    g_autoptr(GError) error = NULL;
    g_autoptr(GError) remove_error = NULL;
    gboolean not_loaded = TRUE;

    assert_false(aavm_loader_decode_status(AAVM_LOAD_REPLACE, killed(SIGKILL), "partial\n",
                                           &not_loaded, &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_PARSER_FAILED));
    assert_false(not_loaded);
    assert_non_null(strstr(error->message, "signal 9"));
    assert_non_null(strstr(error->message, "partial"));

    /* A signal is never "not loaded", even on remove. */
    assert_false(aavm_loader_decode_status(AAVM_LOAD_REMOVE, killed(SIGSEGV), "", &not_loaded,
                                           &remove_error));
    assert_true(g_error_matches(remove_error, AAVM_ERROR, AAVM_ERROR_PARSER_FAILED));
    assert_false(not_loaded);
}

/* A stub parser in a temporary directory: it appends its arguments (one a
 * line, then "--") to argv.log, dumps its environment to env.log, prints a
 * line on stdout and one on stderr, and exits with @body's status. */
typedef struct {
    char *dir;
    char *stub;
    char *argv_log;
    char *env_log;
} Stub;

static int
setup_stub(void **state)
{
    Stub *stub = g_new0(Stub, 1);

    stub->dir = aavm_test_make_tmpdir();
    stub->stub = g_build_filename(stub->dir, "parser-stub", NULL);
    stub->argv_log = g_build_filename(stub->dir, "argv.log", NULL);
    stub->env_log = g_build_filename(stub->dir, "env.log", NULL);
    *state = stub;
    return 0;
}

static int
teardown_stub(void **state)
{
    Stub *stub = *state;

    g_unsetenv("AAVM_TEST_LOADER_SECRET");
    aavm_test_rm_rf(stub->dir);
    g_free(stub->dir);
    g_free(stub->stub);
    g_free(stub->argv_log);
    g_free(stub->env_log);
    g_free(stub);
    return 0;
}

/* @last: the script's last command, e.g. "exit 3". */
static void
write_stub(const Stub *stub, const char *last)
{
    g_autofree char *script =
        g_strdup_printf("#!/bin/sh\n"
                        "for a in \"$@\"; do printf '%%s\\n' \"$a\"; done >> '%s'\n"
                        "echo -- >> '%s'\n"
                        "env > '%s'\n"
                        "echo 'stub: first line'\n"
                        "echo 'stub: last words' >&2\n"
                        "%s\n",
                        stub->argv_log, stub->argv_log, stub->env_log, last);

    assert_true(g_file_set_contents(stub->stub, script, -1, NULL));
    assert_int_equal(chmod(stub->stub, 0755), 0);
}

static void
test_loader_run_passes_argv(void **state)
{
    Stub *stub = *state;
    g_autoptr(GError) error = NULL;
    g_autofree char *argv_log = NULL;
    gboolean not_loaded = TRUE;

    write_stub(stub, "exit 0");
    assert_true(aavm_loader_run(stub->stub, AAVM_LOAD_ADD, NULL, "/tmp/x y/libvirt-1", &not_loaded,
                                &error));
    assert_null(error);
    assert_false(not_loaded);
    assert_true(aavm_loader_run(stub->stub, AAVM_LOAD_REPLACE, NULL, "/p2", NULL, &error));
    assert_true(aavm_loader_run(stub->stub, AAVM_LOAD_REMOVE, NULL, "/p3", NULL, &error));
    assert_null(error);

    argv_log = aavm_test_read_file(stub->argv_log);
    assert_string_equal(argv_log,
                        "-a\n/tmp/x y/libvirt-1\n--\n"
                        "-r\n/p2\n--\n"
                        "-R\n/p3\n--\n");
}

static void
test_loader_run_failure_reports_last_line(void **state)
{
    Stub *stub = *state;
    g_autoptr(GError) error = NULL;

    write_stub(stub, "exit 1");
    assert_false(aavm_loader_run(stub->stub, AAVM_LOAD_REPLACE, NULL, "/p", NULL, &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_PARSER_FAILED));
    assert_non_null(strstr(error->message, "stub: last words"));
    assert_non_null(strstr(error->message, "-r"));
}

static void
test_loader_run_not_loaded_on_remove(void **state)
{
    Stub *stub = *state;
    g_autoptr(GError) error = NULL;
    g_autoptr(GError) add_error = NULL;
    gboolean not_loaded = FALSE;

    write_stub(stub, "exit 234");
    assert_true(aavm_loader_run(stub->stub, AAVM_LOAD_REMOVE, NULL, "/p", &not_loaded, &error));
    assert_null(error);
    assert_true(not_loaded);

    not_loaded = TRUE;
    assert_false(aavm_loader_run(stub->stub, AAVM_LOAD_ADD, NULL, "/p", &not_loaded, &add_error));
    assert_true(g_error_matches(add_error, AAVM_ERROR, AAVM_ERROR_PARSER_FAILED));
    assert_false(not_loaded);
    assert_non_null(strstr(add_error->message, "stub: last words"));
}

static void
test_loader_run_killed_by_signal(void **state)
{
    Stub *stub = *state;
    g_autoptr(GError) error = NULL;

    write_stub(stub, "kill -9 $$");
    assert_false(aavm_loader_run(stub->stub, AAVM_LOAD_REPLACE, NULL, "/p", NULL, &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_PARSER_FAILED));
    assert_non_null(strstr(error->message, "signal 9"));
}

static void
test_loader_run_missing_parser(void **state)
{
    Stub *stub = *state;
    g_autoptr(GError) error = NULL;
    g_autoptr(GError) noexec_error = NULL;
    g_autofree char *missing = g_build_filename(stub->dir, "no-such-parser", NULL);

    assert_false(aavm_loader_run(missing, AAVM_LOAD_ADD, NULL, "/p", NULL, &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_PARSER_FAILED));
    assert_non_null(strstr(error->message, missing));

    /* Present but not executable. */
    write_stub(stub, "exit 0");
    assert_int_equal(chmod(stub->stub, 0644), 0);
    assert_false(aavm_loader_run(stub->stub, AAVM_LOAD_ADD, NULL, "/p", NULL, &noexec_error));
    assert_true(g_error_matches(noexec_error, AAVM_ERROR, AAVM_ERROR_PARSER_FAILED));
    assert_false(g_file_test(stub->argv_log, G_FILE_TEST_EXISTS));
}

static void
test_loader_run_clean_environment(void **state)
{
    Stub *stub = *state;
    g_autoptr(GError) error = NULL;
    g_autofree char *env = NULL;

    g_setenv("AAVM_TEST_LOADER_SECRET", "must-not-leak", TRUE);
    write_stub(stub, "exit 0");
    assert_true(aavm_loader_run(stub->stub, AAVM_LOAD_ADD, NULL, "/p", NULL, &error));
    assert_null(error);

    env = aavm_test_read_file(stub->env_log);
    assert_non_null(env);
    assert_null(strstr(env, "AAVM_TEST_LOADER_SECRET"));
    assert_null(strstr(env, "must-not-leak"));
    /* aavm_test_init() set HOME; the parser must not see it either. */
    assert_null(strstr(env, "HOME="));
    assert_null(strstr(env, "AAVM_TESTS_SRCDIR"));
    assert_non_null(strstr(env, "LC_ALL=C\n"));
    assert_non_null(strstr(env, "PATH=/usr/sbin:/usr/bin:/sbin:/bin\n"));
}

static void
test_loader_build_argv_cache(void **state)
{
    (void)state;
    g_auto(GStrv) add = aavm_loader_build_argv(PARSER, AAVM_LOAD_ADD, "/var/cache/aavm", PROFILE);
    g_auto(GStrv) replace =
        aavm_loader_build_argv(PARSER, AAVM_LOAD_REPLACE, "/var/cache/aavm", PROFILE);
    g_auto(GStrv) remove = aavm_loader_build_argv(PARSER, AAVM_LOAD_REMOVE, "/var/cache/aavm",
                                                  PROFILE);
    g_autofree char *add_line = g_strjoinv(" ", add);
    g_autofree char *replace_line = g_strjoinv(" ", replace);
    g_autofree char *remove_line = g_strjoinv(" ", remove);

    assert_string_equal(add_line, PARSER " -a -W -L /var/cache/aavm " PROFILE);
    assert_string_equal(replace_line, PARSER " -r -W -L /var/cache/aavm " PROFILE);
    /* Unloading compiles nothing. */
    assert_string_equal(remove_line, PARSER " -R " PROFILE);
}

static void
test_loader_run_makes_cache_dir(void **state)
{
    Stub *stub = *state;
    g_autoptr(GError) error = NULL;
    g_autoptr(GError) file_error = NULL;
    g_autofree char *cache = g_build_filename(stub->dir, "cache", "aavm", NULL);
    g_autofree char *argv_log = NULL;
    g_autofree char *expected = NULL;
    g_autofree char *blocker = g_build_filename(stub->dir, "file", NULL);
    g_autofree char *under_file = g_build_filename(blocker, "cache", NULL);
    struct stat st;

    write_stub(stub, "exit 0");
    assert_true(aavm_loader_run(stub->stub, AAVM_LOAD_REPLACE, cache, "/p", NULL, &error));
    assert_null(error);
    assert_int_equal(stat(cache, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(st.st_mode & 07777, 0755);
    argv_log = aavm_test_read_file(stub->argv_log);
    expected = g_strdup_printf("-r\n-W\n-L\n%s\n/p\n--\n", cache);
    assert_string_equal(argv_log, expected);

    /* A cache directory that cannot be made: an error, no parser run. */
    assert_true(g_file_set_contents(blocker, "", 0, NULL));
    assert_false(aavm_loader_run(stub->stub, AAVM_LOAD_ADD, under_file, "/p", NULL, &file_error));
    assert_true(g_error_matches(file_error, AAVM_ERROR, AAVM_ERROR_IO));
    assert_non_null(strstr(file_error->message, under_file));
    g_free(argv_log);
    argv_log = aavm_test_read_file(stub->argv_log);
    assert_string_equal(argv_log, expected);
}

static void
test_loader_enabled_errors(void **state)
{
    (void)state;
    static const int errnums[] = { ENOSYS, ECANCELED, ENOENT, EBUSY };

    /* The reason is kernel-state's sentence (tested there), after ours. */
    for (guint i = 0; i < G_N_ELEMENTS(errnums); i++) {
        g_autoptr(GError) error = NULL;
        g_autofree char *reason = aavm_kernel_state_reason(errnums[i]);
        g_autofree char *expected = g_strconcat("Cannot load profiles: ", reason, NULL);

        assert_false(aavm_loader_enabled_verdict(errnums[i], &error));
        assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_PARSER_FAILED));
        assert_string_equal(error->message, expected);
    }
}

/* Denied reading whether AppArmor is enabled (a confined helper, e.g.
 * under a distribution's helper profile): not "AppArmor is off"; the load
 * is tried and the parser answers. */
static void
test_loader_enabled_denied_tries_the_load(void **state)
{
    (void)state;
    static const int errnums[] = { EACCES, EPERM };

    for (guint i = 0; i < G_N_ELEMENTS(errnums); i++) {
        g_autoptr(GError) error = NULL;

        assert_true(aavm_loader_enabled_verdict(errnums[i], &error));
        assert_null(error);
    }
}

/* This machine has no AppArmor kernel (see tests/README.md): the check
 * must refuse, naming one of the reasons. */
static void
test_loader_check_enabled_here(void **state)
{
    (void)state;
    g_autoptr(GError) error = NULL;

    if (g_file_test("/sys/kernel/security/apparmor/profiles", G_FILE_TEST_EXISTS)) {
        skip();
        return;
    }
    assert_false(aavm_loader_check_enabled(&error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_PARSER_FAILED));
    assert_true(g_str_has_prefix(error->message, "Cannot load profiles: "));
}

int
main(void)
{
    aavm_test_init();

    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loader_op_flags),
        cmocka_unit_test(test_loader_build_argv),
        cmocka_unit_test(test_loader_build_argv_cache),
        cmocka_unit_test(test_loader_enabled_errors),
        cmocka_unit_test(test_loader_enabled_denied_tries_the_load),
        cmocka_unit_test(test_loader_check_enabled_here),
        cmocka_unit_test_setup_teardown(test_loader_run_makes_cache_dir, setup_stub,
                                        teardown_stub),
        cmocka_unit_test(test_loader_decode_status_success),
        cmocka_unit_test(test_loader_decode_status_remove_not_loaded),
        cmocka_unit_test(test_loader_decode_status_234_on_add_or_replace_fails),
        cmocka_unit_test(test_loader_decode_status_other_exit_fails),
        cmocka_unit_test(test_loader_decode_status_killed),
        cmocka_unit_test_setup_teardown(test_loader_run_passes_argv, setup_stub, teardown_stub),
        cmocka_unit_test_setup_teardown(test_loader_run_failure_reports_last_line, setup_stub,
                                        teardown_stub),
        cmocka_unit_test_setup_teardown(test_loader_run_not_loaded_on_remove, setup_stub,
                                        teardown_stub),
        cmocka_unit_test_setup_teardown(test_loader_run_killed_by_signal, setup_stub,
                                        teardown_stub),
        cmocka_unit_test_setup_teardown(test_loader_run_missing_parser, setup_stub,
                                        teardown_stub),
        cmocka_unit_test_setup_teardown(test_loader_run_clean_environment, setup_stub,
                                        teardown_stub),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
