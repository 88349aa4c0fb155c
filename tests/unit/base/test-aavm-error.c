/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-aavm-error.c: the error domain, code names and aavm_fail(). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "testutil.h"
#include "aavm-error.h"

/* Every code with the name it must have (the man page lists these). */
static const struct {
    AavmError code;
    const char *name;
} expected_names[] = {
    { AAVM_ERROR_FAILED, "AAVM_ERROR_FAILED" },
    { AAVM_ERROR_INVALID_ARGUMENT, "AAVM_ERROR_INVALID_ARGUMENT" },
    { AAVM_ERROR_INVALID_XML, "AAVM_ERROR_INVALID_XML" },
    { AAVM_ERROR_TOO_LARGE, "AAVM_ERROR_TOO_LARGE" },
    { AAVM_ERROR_UNSUPPORTED, "AAVM_ERROR_UNSUPPORTED" },
    { AAVM_ERROR_BAD_NAME, "AAVM_ERROR_BAD_NAME" },
    { AAVM_ERROR_BAD_UUID, "AAVM_ERROR_BAD_UUID" },
    { AAVM_ERROR_UUID_MISMATCH, "AAVM_ERROR_UUID_MISMATCH" },
    { AAVM_ERROR_UNSAFE_PATH, "AAVM_ERROR_UNSAFE_PATH" },
    { AAVM_ERROR_TEMPLATE, "AAVM_ERROR_TEMPLATE" },
    { AAVM_ERROR_PROFILE_EXISTS, "AAVM_ERROR_PROFILE_EXISTS" },
    { AAVM_ERROR_NO_PROFILE, "AAVM_ERROR_NO_PROFILE" },
    { AAVM_ERROR_IO, "AAVM_ERROR_IO" },
    { AAVM_ERROR_PARSER_FAILED, "AAVM_ERROR_PARSER_FAILED" },
    { AAVM_ERROR_INVALID_IMAGE, "AAVM_ERROR_INVALID_IMAGE" },
    { AAVM_ERROR_BACKING_CHAIN, "AAVM_ERROR_BACKING_CHAIN" },
    { AAVM_ERROR_UNSAFE_FILE, "AAVM_ERROR_UNSAFE_FILE" },
};

static void
test_aavm_error_table_covers_every_code(void **state)
{
    (void)state;
    /* A new code must be added to this test (and the man page) too. */
    assert_int_equal(G_N_ELEMENTS(expected_names), AAVM_ERROR_N);
    for (guint i = 0; i < G_N_ELEMENTS(expected_names); i++)
        assert_int_equal(expected_names[i].code, (AavmError)i);
}

static void
test_aavm_error_to_string_names(void **state)
{
    (void)state;
    for (guint i = 0; i < G_N_ELEMENTS(expected_names); i++)
        assert_string_equal(aavm_error_code_to_string(expected_names[i].code),
                            expected_names[i].name);
}

static void
test_aavm_error_round_trip(void **state)
{
    (void)state;
    for (int code = 0; code < AAVM_ERROR_N; code++) {
        const char *name = aavm_error_code_to_string((AavmError)code);
        AavmError back = AAVM_ERROR_N;

        assert_non_null(name);
        assert_true(aavm_error_code_from_string(name, &back));
        assert_int_equal(back, code);
    }
}

static void
test_aavm_error_names_distinct(void **state)
{
    (void)state;
    for (int a = 0; a < AAVM_ERROR_N; a++)
        for (int b = a + 1; b < AAVM_ERROR_N; b++)
            assert_string_not_equal(aavm_error_code_to_string((AavmError)a),
                                    aavm_error_code_to_string((AavmError)b));
}

static void
test_aavm_error_to_string_out_of_range(void **state)
{
    (void)state;
    assert_string_equal(aavm_error_code_to_string(AAVM_ERROR_N), "AAVM_ERROR_UNKNOWN");
    assert_string_equal(aavm_error_code_to_string((AavmError)(AAVM_ERROR_N + 100)),
                        "AAVM_ERROR_UNKNOWN");
    assert_string_equal(aavm_error_code_to_string((AavmError)-1), "AAVM_ERROR_UNKNOWN");
}

static void
test_aavm_error_from_string_unknown(void **state)
{
    static const char *const unknown[] = {
        "AAVM_ERROR_UNKNOWN", /* what to_string() gives for a bad code */
        "AAVM_ERROR_NOPE",
        "aavm_error_io",      /* case matters */
        "IO",
        "AAVM_ERROR_IO ",
        " AAVM_ERROR_IO",
        "AAVM_ERROR_",
        "AAVM_ERROR_N",
        "",
    };

    (void)state;
    for (guint i = 0; i < G_N_ELEMENTS(unknown); i++) {
        AavmError code = AAVM_ERROR_UUID_MISMATCH;

        assert_false(aavm_error_code_from_string(unknown[i], &code));
        /* Left alone on failure. */
        assert_int_equal(code, AAVM_ERROR_UUID_MISMATCH);
    }
}

static void
test_aavm_error_from_string_null(void **state)
{
    AavmError code = AAVM_ERROR_IO;

    (void)state;
    assert_false(aavm_error_code_from_string(NULL, &code));
    assert_int_equal(code, AAVM_ERROR_IO);
}

static void
test_aavm_error_fail_sets_error(void **state)
{
    g_autoptr(GError) error = NULL;
    gboolean ret;

    (void)state;
    ret = aavm_fail(&error, AAVM_ERROR_UNSAFE_PATH, "path '%s' refused (%d)", "/etc/x", 42);
    assert_false(ret);
    assert_non_null(error);
    assert_true(error->domain == AAVM_ERROR);
    assert_int_equal(error->code, AAVM_ERROR_UNSAFE_PATH);
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_UNSAFE_PATH));
    assert_string_equal(error->message, "path '/etc/x' refused (42)");
}

static void
test_aavm_error_fail_every_code(void **state)
{
    (void)state;
    for (int code = 0; code < AAVM_ERROR_N; code++) {
        g_autoptr(GError) error = NULL;

        assert_false(aavm_fail(&error, (AavmError)code, "code %d", code));
        assert_true(g_error_matches(error, AAVM_ERROR, code));
        g_autofree char *expected = g_strdup_printf("code %d", code);
        assert_string_equal(error->message, expected);
    }
}

static void
test_aavm_error_fail_message_not_a_format(void **state)
{
    g_autoptr(GError) error = NULL;

    (void)state;
    /* A '%' in an argument is copied, not interpreted again. */
    assert_false(aavm_fail(&error, AAVM_ERROR_BAD_NAME, "name '%s'", "a%sb%n"));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_BAD_NAME));
    assert_string_equal(error->message, "name 'a%sb%n'");
}

static void
test_aavm_error_fail_null_error(void **state)
{
    (void)state;
    /* Callers that do not want the error pass NULL; still FALSE. */
    assert_false(aavm_fail(NULL, AAVM_ERROR_IO, "ignored %s", "text"));
}

static void
test_aavm_error_quark_stable(void **state)
{
    (void)state;
    assert_true(AAVM_ERROR != 0);
    assert_true(aavm_error_quark() == aavm_error_quark());
    assert_string_equal(g_quark_to_string(AAVM_ERROR), "aavm-error-quark");
}

int
main(void)
{
    aavm_test_init();

    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_aavm_error_table_covers_every_code),
        cmocka_unit_test(test_aavm_error_to_string_names),
        cmocka_unit_test(test_aavm_error_round_trip),
        cmocka_unit_test(test_aavm_error_names_distinct),
        cmocka_unit_test(test_aavm_error_to_string_out_of_range),
        cmocka_unit_test(test_aavm_error_from_string_unknown),
        cmocka_unit_test(test_aavm_error_from_string_null),
        cmocka_unit_test(test_aavm_error_fail_sets_error),
        cmocka_unit_test(test_aavm_error_fail_every_code),
        cmocka_unit_test(test_aavm_error_fail_message_not_a_format),
        cmocka_unit_test(test_aavm_error_fail_null_error),
        cmocka_unit_test(test_aavm_error_quark_stable),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
