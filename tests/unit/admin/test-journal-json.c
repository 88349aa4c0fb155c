/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-journal-json.c: the MESSAGE of a `journalctl -o json` line
 * (helper/admin/journal-json.h), and aavm_denial_report_read_max()'s bound. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "denial.h"
#include "journal-json.h"
#include "testutil.h"

/* The MESSAGE of @line, or NULL. */
static char *
message_of(const char *line)
{
    char *out = NULL;
    gsize len = 0;

    if (!aavm_journal_json_message(line, strlen(line), &out, &len))
        return NULL;
    assert_int_equal(len, strlen(out));
    return out;
}

static void
test_message_string(void **state)
{
    (void)state;
    g_autofree char *a = message_of("{\"__CURSOR\":\"s=1\",\"MESSAGE\":\"audit: x\",\"PRIORITY\":\"5\"}");
    assert_string_equal(a, "audit: x");
    /* Blanks, escapes, nested values before it, the first MESSAGE wins. */
    g_autofree char *b = message_of(" { \"n\" : [1, -2.5e3, {\"x\": [true, false, null]}], "
                                    "\"MESSAGE\" : \"a\\\"b\\\\c\\/d\\u00e9\\ud83d\\ude00\\t\", "
                                    "\"MESSAGE\": \"second\" } ");
    assert_string_equal(b, "a\"b\\c/d\xc3\xa9\xf0\x9f\x98\x80\t");
}

static void
test_message_bytes(void **state)
{
    (void)state;
    /* "ab\xff" as the journal writes a message that is not UTF-8. */
    g_autofree char *a = message_of("{\"MESSAGE\":[97, 98,255]}");
    assert_string_equal(a, "ab\xff");
}

static void
test_message_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "{",
        "{}",                                   /* no MESSAGE */
        "{\"MESSAGE\":null}",                   /* neither form */
        "{\"MESSAGE\":42}",
        "{\"MESSAGE\":\"x\"",                   /* cut */
        "{\"MESSAGE\":\"x\"} trailing",
        "{\"MESSAGE\":\"a\nb\"}",                /* a raw control character */
        "{\"MESSAGE\":\"\\u0000\"}",            /* NUL */
        "{\"MESSAGE\":\"\\ud800\"}",            /* a lone surrogate */
        "{\"MESSAGE\":\"\\udc00\"}",
        "{\"MESSAGE\":\"\\ud800\\u0041\"}",
        "{\"MESSAGE\":\"\\x41\"}",              /* not a JSON escape */
        "{\"MESSAGE\":[0]}",                    /* a NUL byte */
        "{\"MESSAGE\":[256]}",
        "{\"MESSAGE\":[-1]}",
        "{\"MESSAGE\":[1,]}",
        "{\"MESSAGE\":[\"a\"]}",
        "{\"a\":tru,\"MESSAGE\":\"x\"}",
        "[\"MESSAGE\",\"x\"]",
    };

    for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autofree char *m = message_of(bad[i]);
        if (m)
            fail_msg("'%s' gave a message '%s'", bad[i], m);
    }
}

/* Nesting deeper than the limit is refused, not followed. */
static void
test_message_depth(void **state)
{
    (void)state;
    g_autoptr(GString) deep = g_string_new("{\"a\":");
    for (guint i = 0; i < AAVM_JOURNAL_JSON_DEPTH_MAX + 1; i++)
        g_string_append_c(deep, '[');
    for (guint i = 0; i < AAVM_JOURNAL_JSON_DEPTH_MAX + 1; i++)
        g_string_append_c(deep, ']');
    g_string_append(deep, ",\"MESSAGE\":\"x\"}");
    g_autofree char *m = message_of(deep->str);
    assert_null(m);

    g_autoptr(GString) ok = g_string_new("{\"a\":");
    for (guint i = 0; i < AAVM_JOURNAL_JSON_DEPTH_MAX - 1; i++)
        g_string_append_c(ok, '[');
    for (guint i = 0; i < AAVM_JOURNAL_JSON_DEPTH_MAX - 1; i++)
        g_string_append_c(ok, ']');
    g_string_append(ok, ",\"MESSAGE\":\"x\"}");
    g_autofree char *m2 = message_of(ok->str);
    assert_non_null(m2);
}

static void
test_is_entry(void **state)
{
    (void)state;
    assert_true(aavm_journal_json_is_entry("  {\"a\":1}", 9));
    assert_false(aavm_journal_json_is_entry("type=AVC {", 10));
    assert_false(aavm_journal_json_is_entry("   ", 3));
}

/* A journal line in the report: counted as its MESSAGE, a broken one as
 * malformed; read_max stops at its bound and drops the line cut short. */
static void
test_report_read_max(void **state)
{
    (void)state;
    const char *text =
        "{\"MESSAGE\":\"audit: type=1400 audit(1.0:1): apparmor=\\\"DENIED\\\" operation=\\\"open\\\" "
        "profile=\\\"libvirt-5b2d8e3a-7c41-4f0e-9d6a-3e1f2a4b5c6d\\\" name=\\\"/srv/a\\\" "
        "requested_mask=\\\"r\\\" denied_mask=\\\"r\\\"\"}\n"
        "{\"MESSAGE\":\n"
        "second line\n";
    g_autoptr(AavmDenialReport) all = aavm_denial_report_new();
    FILE *f = fmemopen((void *)text, strlen(text), "r");
    gboolean cut = TRUE;
    assert_true(aavm_denial_report_read_max(all, f, G_MAXUINT64, &cut, NULL));
    fclose(f);
    assert_false(cut);
    assert_int_equal(all->lines, 3);
    assert_int_equal(all->denials, 1);
    assert_int_equal(all->malformed, 1);

    gsize first = strchr(text, '\n') - text + 1;
    g_autoptr(AavmDenialReport) some = aavm_denial_report_new();
    f = fmemopen((void *)text, strlen(text), "r");
    assert_true(aavm_denial_report_read_max(some, f, first + 3, &cut, NULL));
    fclose(f);
    assert_true(cut);
    assert_int_equal(some->lines, 1); /* the second line, cut short, is not looked at */
    assert_int_equal(some->denials, 1);
}

int
main(void)
{
    aavm_test_init();

    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_message_string),
        cmocka_unit_test(test_message_bytes),
        cmocka_unit_test(test_message_refused),
        cmocka_unit_test(test_message_depth),
        cmocka_unit_test(test_is_entry),
        cmocka_unit_test(test_report_read_max),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
