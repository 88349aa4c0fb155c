/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "aavm-text.h"

#include <string.h>

char *
aavm_text_printable(const char *text)
{
    g_autofree char *valid = g_utf8_make_valid(text, -1);
    GString *out = g_string_sized_new(strlen(valid));

    for (const char *c = valid; *c; c = g_utf8_next_char(c)) {
        gunichar ch = g_utf8_get_char(c);

        if (ch < 0x20 || ch == 0x7f)
            g_string_append_printf(out, "\\x%02x", (guint)ch);
        else if (ch >= 0x80 && ch < 0xa0)
            g_string_append_printf(out, "\\u%04x", (guint)ch);
        else
            g_string_append_len(out, c, g_utf8_next_char(c) - c);
    }
    return g_string_free(out, FALSE);
}

void
aavm_text_append_table(GString *out, const GPtrArray *cells, guint n_columns)
{
    g_autofree guint *width = g_new0(guint, n_columns);

    for (guint i = 0; i < cells->len; i++) {
        guint w = (guint)g_utf8_strlen(g_ptr_array_index(cells, i), -1);
        width[i % n_columns] = MAX(width[i % n_columns], w);
    }
    for (guint i = 0; i < cells->len; i++) {
        const char *cell = g_ptr_array_index(cells, i);
        guint column = i % n_columns;

        g_string_append(out, cell);
        if (column == n_columns - 1) {
            g_string_append_c(out, '\n');
            continue;
        }
        for (glong n = g_utf8_strlen(cell, -1); n < (glong)width[column]; n++)
            g_string_append_c(out, ' ');
        g_string_append(out, "  ");
    }
}

gint
aavm_text_compare_indirect(gconstpointer a, gconstpointer b)
{
    return g_strcmp0(*(const char *const *)a, *(const char *const *)b);
}
