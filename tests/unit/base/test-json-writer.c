/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-json-writer.c: the one JSON writer (helper/base/json-writer.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <glib.h>

#include "json-writer.h"
#include "testutil.h"

/* @text as the one string of an array: the document without "[" and "]". */
static char *
string_of(const char *text)
{
    g_autoptr(AavmJson) j = aavm_json_new();
    g_autofree char *doc = NULL;

    aavm_json_array_begin(j, NULL);
    aavm_json_string(j, NULL, text);
    aavm_json_array_end(j);
    doc = aavm_json_to_string(j);
    assert_non_null(doc);
    assert_true(g_str_has_prefix(doc, "[") && g_str_has_suffix(doc, "]"));
    return g_strndup(doc + 1, strlen(doc) - 2);
}

static void
assert_string_json(const char *text, const char *expected)
{
    g_autofree char *got = string_of(text);

    assert_string_equal(got, expected);
}

static void
test_escaping(void **state)
{
    (void)state;
    assert_string_json("plain /srv/vm disk.img", "\"plain /srv/vm disk.img\"");
    assert_string_json(NULL, "null");
    assert_string_json("", "\"\"");
    assert_string_json("q\"b\\n", "\"q\\\"b\\\\n\"");
    assert_string_json("\n\r\t\b\f", "\"\\n\\r\\t\\b\\f\"");
    assert_string_json("\x01\x1b[31m\x1f\x7f", "\"\\u0001\\u001b[31m\\u001f\\u007f\"");
    /* C1 (U+009B is a terminal's CSI) and JavaScript's line ends. */
    assert_string_json("a\xc2\x80" "b\xc2\x9b" "c\xc2\x9f" "d\xc2\xa0",
                       "\"a\\u0080b\\u009bc\\u009fd\xc2\xa0\"");
    assert_string_json("x\xe2\x80\xa8y\xe2\x80\xa9z", "\"x\\u2028y\\u2029z\"");
    /* Valid UTF-8 stays as it is, four-byte characters too. */
    assert_string_json("\xc3\xa4\xe2\x82\xac\xf0\x9f\x98\x80", "\"\xc3\xa4\xe2\x82\xac\xf0\x9f\x98\x80\"");
    /* Invalid UTF-8 (a stray byte, a cut sequence, an overlong slash, a
     * surrogate) becomes U+FFFD; nothing of it passes as written. */
    assert_string_json("bad\xff", "\"bad\xef\xbf\xbd\"");
    assert_string_json("cut\xe2\x82", "\"cut\xef\xbf\xbd\xef\xbf\xbd\"");
    {
        g_autofree char *overlong = string_of("\xc0\xaf" "etc");
        g_autofree char *surrogate = string_of("\xed\xa0\x80");

        assert_true(g_utf8_validate(overlong, -1, NULL));
        assert_null(strchr(overlong, '/'));
        assert_true(g_str_has_suffix(overlong, "etc\""));
        assert_true(g_utf8_validate(surrogate, -1, NULL));
        assert_non_null(strstr(surrogate, "\xef\xbf\xbd"));
    }
    /* Keys are escaped the same way. */
    {
        g_autoptr(AavmJson) j = aavm_json_new();
        g_autofree char *doc = NULL;

        aavm_json_object_begin(j, NULL);
        aavm_json_null(j, "k\"\n");
        aavm_json_object_end(j);
        doc = aavm_json_to_string(j);
        assert_string_equal(doc, "{\"k\\\"\\n\":null}");
    }
}

static void
test_values(void **state)
{
    (void)state;
    g_autoptr(AavmJson) j = aavm_json_new();
    g_autoptr(GPtrArray) two = g_ptr_array_new();
    g_autofree char *doc = NULL;

    g_ptr_array_add(two, (gpointer)"a");
    g_ptr_array_add(two, (gpointer)"b\"");
    aavm_json_object_begin(j, NULL);
    aavm_json_uint(j, "zero", 0);
    aavm_json_uint(j, "max", G_MAXUINT64);
    aavm_json_int(j, "min", G_MININT64);
    aavm_json_int(j, "minus", -1);
    aavm_json_bool(j, "yes", TRUE);
    aavm_json_bool(j, "no", FALSE);
    aavm_json_null(j, "none");
    aavm_json_known_uint(j, "ku", TRUE, 7);
    aavm_json_known_uint(j, "uu", FALSE, 7);
    aavm_json_known_bool(j, "kb", TRUE, FALSE);
    aavm_json_known_bool(j, "ub", FALSE, TRUE);
    aavm_json_strings(j, "two", two);
    aavm_json_strings(j, "empty", NULL);
    aavm_json_object_end(j);
    doc = aavm_json_to_string(j);
    assert_string_equal(doc, "{\"zero\":0,\"max\":18446744073709551615,"
                             "\"min\":-9223372036854775808,\"minus\":-1,"
                             "\"yes\":true,\"no\":false,\"none\":null,"
                             "\"ku\":7,\"uu\":null,\"kb\":false,\"ub\":null,"
                             "\"two\":[\"a\",\"b\\\"\"],\"empty\":[]}");
}

static void
test_nesting(void **state)
{
    (void)state;
    g_autoptr(AavmJson) j = aavm_json_new();
    g_autofree char *doc = NULL;

    aavm_json_object_begin(j, NULL);
    aavm_json_uint(j, "version", AAVM_JSON_VERSION);
    aavm_json_object_begin(j, "empty");
    aavm_json_object_end(j);
    aavm_json_array_begin(j, "vms");
    for (guint i = 0; i < 2; i++) {
        aavm_json_object_begin(j, NULL);
        aavm_json_uint(j, "n", i);
        aavm_json_array_begin(j, "deep");
        aavm_json_array_begin(j, NULL);
        aavm_json_array_end(j);
        aavm_json_object_begin(j, NULL);
        aavm_json_object_end(j);
        aavm_json_array_end(j);
        aavm_json_object_end(j);
    }
    aavm_json_array_end(j);
    aavm_json_string(j, "last", "x");
    aavm_json_object_end(j);
    doc = aavm_json_to_string(j);
    /* Key order as written; no space anywhere. */
    assert_string_equal(doc, "{\"version\":1,\"empty\":{},\"vms\":["
                             "{\"n\":0,\"deep\":[[],{}]},{\"n\":1,\"deep\":[[],{}]}],"
                             "\"last\":\"x\"}");
    /* A document may be any value; an array on its own. */
    {
        g_autoptr(AavmJson) a = aavm_json_new();
        g_autofree char *text = NULL;

        aavm_json_array_begin(a, NULL);
        aavm_json_array_end(a);
        text = aavm_json_to_string(a);
        assert_string_equal(text, "[]");
    }
}

typedef void (*Misuse)(AavmJson *j);

static void key_in_array(AavmJson *j) { aavm_json_array_begin(j, NULL); aavm_json_uint(j, "k", 1); aavm_json_array_end(j); }
static void no_key_in_object(AavmJson *j) { aavm_json_object_begin(j, NULL); aavm_json_uint(j, NULL, 1); aavm_json_object_end(j); }
static void key_at_top(AavmJson *j) { aavm_json_object_begin(j, "k"); aavm_json_object_end(j); }
static void wrong_end(AavmJson *j) { aavm_json_object_begin(j, NULL); aavm_json_array_end(j); aavm_json_object_end(j); }
static void end_of_nothing(AavmJson *j) { aavm_json_object_end(j); }
static void left_open(AavmJson *j) { aavm_json_object_begin(j, NULL); aavm_json_array_begin(j, "a"); aavm_json_array_end(j); }
static void nothing(AavmJson *j) { (void)j; }
static void two_documents(AavmJson *j) { aavm_json_array_begin(j, NULL); aavm_json_array_end(j); aavm_json_array_begin(j, NULL); aavm_json_array_end(j); }
static void value_after_end(AavmJson *j) { aavm_json_object_begin(j, NULL); aavm_json_object_end(j); aavm_json_null(j, NULL); }
/* After misuse, calls that would fit again do not make it whole. */
static void mended(AavmJson *j) { aavm_json_object_begin(j, NULL); aavm_json_bool(j, NULL, TRUE); aavm_json_bool(j, "k", TRUE); aavm_json_object_end(j); }

static void
test_misuse(void **state)
{
    (void)state;
    const Misuse misuses[] = {
        key_in_array, no_key_in_object, key_at_top, wrong_end, end_of_nothing,
        left_open, nothing, two_documents, value_after_end, mended,
    };

    for (guint i = 0; i < G_N_ELEMENTS(misuses); i++) {
        g_autoptr(AavmJson) j = aavm_json_new();
        g_autofree char *doc = NULL;

        misuses[i](j);
        doc = aavm_json_to_string(j);
        if (doc)
            fail_msg("misuse %u gave a document: %s", i, doc);
    }
    /* Not vacuous: the same calls, fitting, give one. */
    {
        g_autoptr(AavmJson) j = aavm_json_new();
        g_autofree char *doc = NULL;

        aavm_json_object_begin(j, NULL);
        aavm_json_bool(j, "k", TRUE);
        aavm_json_object_end(j);
        doc = aavm_json_to_string(j);
        assert_string_equal(doc, "{\"k\":true}");
    }
}

int
main(void)
{
    aavm_test_init();

    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_nesting),
        cmocka_unit_test(test_misuse),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
