/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* journal-json.h: the MESSAGE of one line of `journalctl -o json`.
 *
 * Pure.  The line is untrusted: a JSON object is walked with bounded
 * nesting, every value of it skipped but the top-level "MESSAGE", which the
 * journal writes as a string, or as an array of byte values (0-255) when
 * the message is not valid UTF-8 or holds control characters.  \uXXXX
 * escapes (and surrogate pairs) become UTF-8; a lone surrogate or a NUL
 * makes the line malformed. */
#pragma once

#include <glib.h>

/* Deepest nesting of arrays and objects walked. */
#define AAVM_JOURNAL_JSON_DEPTH_MAX 16

/* TRUE when @line (@len bytes) looks like a journal JSON entry: its first
 * non-blank character is '{'. */
gboolean aavm_journal_json_is_entry(const char *line, gsize len);

/* The MESSAGE of the entry, NUL-terminated, in @out (@out_len bytes);
 * FALSE when the line is not a well-formed object or has no MESSAGE of
 * either form. */
gboolean aavm_journal_json_message(const char *line, gsize len, char **out, gsize *out_len);
