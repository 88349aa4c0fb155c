/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* aavm-text.h: showing untrusted text (names from images, profile files,
 * domain XML) to people; JSON strings are json-writer.h's. */
#pragma once

#include <glib.h>

/* @text made valid UTF-8, with control characters (C0, DEL and the C1
 * range terminals act on) written as \xNN or \uNNNN. */
char *aavm_text_printable(const char *text);

/* Append @cells (char*, row after row, @n_columns a row) as a table: every
 * column but the last padded to its widest cell (in characters), two spaces
 * between columns, a newline after each row.  The cells must be printable. */
void aavm_text_append_table(GString *out, const GPtrArray *cells, guint n_columns);

/* For g_ptr_array_sort() of char*: its elements are pointers to the
 * strings, so g_strcmp0 would compare the pointers, not the names. */
gint aavm_text_compare_indirect(gconstpointer a, gconstpointer b);
