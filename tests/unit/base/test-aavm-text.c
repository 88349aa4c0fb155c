/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-aavm-text.c: showing untrusted text (helper/base/aavm-text.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <glib.h>

#include "aavm-text.h"
#include "testutil.h"

static void
test_text_printable(void **state)
{
    (void)state;
    g_autofree char *plain = aavm_text_printable("/srv/vm/disk \xc3\xa4.img");
    g_autofree char *controls = aavm_text_printable("a\nb\x1b[31mc\x7f");
    g_autofree char *c1 = aavm_text_printable("x\xc2\x9by");
    g_autofree char *invalid = aavm_text_printable("bad\xff");

    assert_string_equal(plain, "/srv/vm/disk \xc3\xa4.img");
    assert_string_equal(controls, "a\\x0ab\\x1b[31mc\\x7f");
    assert_string_equal(c1, "x\\u009by");
    assert_true(g_utf8_validate(invalid, -1, NULL));
    assert_true(g_str_has_prefix(invalid, "bad"));
}

static void
test_table(void **state)
{
    (void)state;
    g_autoptr(GString) out = g_string_new(NULL);
    g_autoptr(GPtrArray) cells = g_ptr_array_new();
    const char *const text[] = { "A", "LONG HEADER", "LAST", "\xc3\xa4\xc3\xa4\xc3\xa4", "b",
                                 "tail with spaces" };

    for (guint i = 0; i < G_N_ELEMENTS(text); i++)
        g_ptr_array_add(cells, (gpointer)text[i]);
    aavm_text_append_table(out, cells, 3);
    /* Widths count characters, not bytes: the three a-umlauts pad as 3. */
    assert_string_equal(out->str,
                        "A    LONG HEADER  LAST\n"
                        "\xc3\xa4\xc3\xa4\xc3\xa4  b            tail with spaces\n");
    g_string_truncate(out, 0);
    g_ptr_array_set_size(cells, 0);
    aavm_text_append_table(out, cells, 3);
    assert_string_equal(out->str, "");
}

/* Sorting char* by name, whatever the order of the strings in memory. */
static void
test_compare_indirect(void **state)
{
    (void)state;
    char buf[] = "c\0b\0a";  /* "a" lies at the highest address */
    g_autoptr(GPtrArray) names = g_ptr_array_new();

    g_ptr_array_add(names, buf);
    g_ptr_array_add(names, buf + 4);
    g_ptr_array_add(names, buf + 2);
    g_ptr_array_sort(names, aavm_text_compare_indirect);
    assert_string_equal(g_ptr_array_index(names, 0), "a");
    assert_string_equal(g_ptr_array_index(names, 1), "b");
    assert_string_equal(g_ptr_array_index(names, 2), "c");
}

int
main(void)
{
    aavm_test_init();

    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_printable),
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_compare_indirect),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
